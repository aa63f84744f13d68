/** Small shared utilities: JSON, atomic files, hashing, seed derivation. */
package dev.quill.util;
