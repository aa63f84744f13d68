/** Configuration records, their validation, and the YAML loader with {@code --set} overrides. */
package dev.quill.config;
