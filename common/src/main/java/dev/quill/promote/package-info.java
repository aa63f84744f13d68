/**
 * The promotion gate of scheduled retraining: a newly trained policy replaces {@code models/current}
 * only if its evaluation is not worse than the current model's beyond a configured tolerance; every
 * decision is recorded with both metrics.
 */
package dev.quill.promote;
