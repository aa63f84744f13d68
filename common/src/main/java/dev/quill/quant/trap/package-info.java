/** The adversarial quantizer of Cao &amp; Xie (2026) Theorem 6, a test instance for the audit and experiments. */
package dev.quill.quant.trap;
