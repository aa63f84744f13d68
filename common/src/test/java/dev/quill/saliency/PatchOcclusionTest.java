package dev.quill.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quill.task.image.ImageShape;
import org.junit.jupiter.api.Test;

class PatchOcclusionTest {
  // 2 channels of 4x4: channel 0 = 0..15 row-major, channel 1 = all 1 except pixel (3, 3) = 17
  private static double[] image() {
    double[] x = new double[32];
    for (int i = 0; i < 16; i++) {
      x[i] = i;
      x[16 + i] = 1;
    }
    x[31] = 17;
    return x;
  }

  @Test
  void mean_occludesOneCellOfEveryChannelWithTheImagesChannelMean() {
    PatchOcclusion p = new PatchOcclusion(new ImageShape(2, 4, 4), 2, PatchOcclusion.Mode.MEAN, 1.0);
    assertEquals(4, p.locations());
    double[] out = p.apply(image(), 1); // cell (0, 1): rows 0-1, columns 2-3
    double[] expected = image();
    // channel means: (0 + ... + 15) / 16 = 7.5 and (15 + 17) / 16 = 2
    for (int idx : new int[] {2, 3, 6, 7}) {
      expected[idx] = 7.5;
      expected[16 + idx] = 2.0;
    }
    assertArrayEquals(expected, out, 1e-12);
    assertArrayEquals(image(), image(), 0.0);
  }

  @Test
  void blur_replacesCellPixelsByNormalizedGaussianAverage() {
    ImageShape shape = new ImageShape(1, 4, 4);
    double[] x = new double[16];
    x[0] = 1.0; // a single lit pixel in the corner
    PatchOcclusion p = new PatchOcclusion(shape, 2, PatchOcclusion.Mode.BLUR, 0.5);
    double[] out = p.apply(x, 0); // cell (0, 0): rows 0-1, columns 0-1
    // sigma 0.5, radius 2: weights exp(-d^2 / 0.5); the pixel (0, 0)'s window is rows/cols 0..2
    double[] w = {1, Math.exp(-2), Math.exp(-8)};
    double den00 = Math.pow(w[0] + w[1] + w[2], 2);
    assertEquals(1.0 / den00, out[0], 1e-12);
    // pixel (1, 1): window rows/cols 0..3, the lit pixel at distance^2 2
    double den11 = Math.pow(w[0] + 2 * w[1] + w[2], 2);
    assertEquals(Math.exp(-4) / den11, out[5], 1e-12);
    assertEquals(0.0, out[2], 0.0, "outside the cell unchanged");
  }

  @Test
  void config_patchOnStateVectors_isRejected() {
    SaliencyConfig c = new SaliencyConfig("patch-mean", 0.5, 0.2, 2.0, "logitMse", 4, 2.0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.create(new double[3], new double[3], null, 1));
    assertEquals("saliency.perturbation patch-mean needs image observations (task.observation: image), got state vectors",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SaliencyConfig("patch-blur", 0.5, 0.2, 2.0, "logitMse", 9, 2.0)
        .create(new double[16], new double[16], new ImageShape(1, 4, 4), 1));
    assertEquals(16, c.create(new double[48], new double[48], new ImageShape(3, 4, 4), 1).locations());
  }

  @Test
  void scorer_patchOcclusion_givesHandComputedSis() {
    // teacher = identity "logits" of the 1x2x2 image; grid 2 -> 4 cells; mean 2.5 of (1, 2, 3, 4)
    PatchOcclusion p = new PatchOcclusion(new ImageShape(1, 2, 2), 2, PatchOcclusion.Mode.MEAN, 1.0);
    SaliencyScorer scorer = new SaliencyScorer(states -> {
      float[][] z = new float[states.length][4];
      for (int i = 0; i < states.length; i++) {
        for (int j = 0; j < 4; j++) {
          z[i][j] = (float) states[i][j];
        }
      }
      return z;
    }, p);
    // S(k) = 1/2 (x_k - 2.5)^2: 1.125, 0.125, 0.125, 1.125 -> mean 0.625
    assertEquals(0.625, scorer.score(new double[][] {{1, 2, 3, 4}})[0], 1e-9);
  }
}
