/** {@code quill dynamics}: the token-conditioned Gaussian dynamics model trained by parameter averaging. */
package dev.quill.spark.dynamics;
