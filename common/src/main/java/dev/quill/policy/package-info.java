/** Policy networks, the trained policy artifact and its directory format. */
package dev.quill.policy;
