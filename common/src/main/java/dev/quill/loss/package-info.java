/** DL4J loss functions over action tokens. */
package dev.quill.loss;
