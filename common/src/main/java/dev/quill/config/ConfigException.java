package dev.quill.config;

/**
 * A configuration value is missing, malformed or out of its allowed range. The message names the key
 * (with its full dotted path once {@link ConfigLoader} has added it), the value and what is allowed.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String key;

  /** Creates an exception for {@code key} with a message that already names key, value and range. */
  public ConfigException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The key the problem is about (relative, or a full dotted path after prefixing). */
  public String key() {
    return key;
  }

  /** Returns a copy whose key and message carry {@code prefix} (e.g. {@code "train."}). */
  public ConfigException withPrefix(String prefix) {
    String msg = getMessage();
    if (msg.startsWith(key)) {
      msg = prefix + msg;
    }
    return new ConfigException(prefix + key, msg);
  }
}
