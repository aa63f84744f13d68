package dev.quill.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SaliencyScorerTest {
  /** A linear "teacher" with logits z = (2 s0, s1): feature 0 matters four times as much per unit. */
  private static float[][] teacher(double[][] states) {
    float[][] z = new float[states.length][];
    for (int i = 0; i < states.length; i++) {
      z[i] = new float[] {(float) (2 * states[i][0]), (float) states[i][1]};
    }
    return z;
  }

  @Test
  void sis_meanOcclusion_handComputed() {
    SaliencyScorer scorer = new SaliencyScorer(SaliencyScorerTest::teacher, MeanOcclusion.perFeature(new double[] {0, 0}));
    // s = (1, 2): occluding feature 0 changes z by (2, 0) -> 1/2 * 4 = 2; feature 1 by (0, 2) -> 2; mean 2
    // s = (3, 0): feature 0 -> (6, 0) -> 18; feature 1 -> 0; mean 9
    assertArrayEquals(new double[] {2, 9}, scorer.score(new double[][] {{1, 2}, {3, 0}}), 1e-5);
  }

  @Test
  void groups_replaceTogether() {
    MeanOcclusion occ = new MeanOcclusion(new double[] {9, 8, 7}, new int[][] {{0, 2}, {1}});
    assertArrayEquals(new double[] {9, 2, 7}, occ.apply(new double[] {1, 2, 3}, 0), 0);
    assertEquals(2, occ.locations());
  }

  @Test
  void groups_outsideState_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> new MeanOcclusion(new double[] {0}, new int[][] {{1}}));
  }

  @Test
  void weights_topStatesGetBeta() {
    assertArrayEquals(new double[] {1, 2, 1, 2}, SaliencyScorer.weights(new double[] {0.1, 5, 0.3, 9}, 1.0, 2.0), 0);
  }

  @Test
  void gaussian_isReproducibleAndOnlyTouchesLocation() {
    GaussianPerturbation g = new GaussianPerturbation(new double[] {1, 1}, 0.5, 3);
    double[] a = g.apply(new double[] {0, 0}, 1);
    assertArrayEquals(a, g.apply(new double[] {0, 0}, 1), 0);
    assertEquals(0.0, a[0], 0);
    assertNotEquals(0.0, a[1]);
  }

  @Test
  void scoreWithLogits_returnsUnperturbedLogitsAndCallsTheTeacherOnce() {
    int[] calls = {0};
    SaliencyScorer scorer = new SaliencyScorer(b -> {
      calls[0]++;
      return teacher(b);
    }, MeanOcclusion.perFeature(new double[] {0, 0}));
    SaliencyScorer.Scores s = scorer.scoreWithLogits(new double[][] {{1, 2}, {3, 0}});
    assertEquals(1, calls[0]);
    assertArrayEquals(new double[] {2, 9}, s.sis(), 1e-5);
    assertArrayEquals(new float[] {6, 0}, s.logits()[1], 0f);
  }
}
