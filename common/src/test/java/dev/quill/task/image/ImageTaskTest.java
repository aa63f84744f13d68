package dev.quill.task.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigException;
import dev.quill.eval.EpisodeOutcome;
import dev.quill.eval.Rollouts;
import dev.quill.task.Task;
import dev.quill.task.TaskConfig;
import dev.quill.task.TaskEpisode;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ImageTaskTest {
  private static TaskConfig image(String name, int size) {
    return new TaskConfig(name, 1, 0, 0.0, "image", size);
  }

  @Test
  void fillRect_partialPixels_getCoveredFraction() {
    Raster r = new Raster(new ImageShape(1, 3, 3));
    r.fillRect(0, 0.5, 2.0, 1.0, 1.25, 1.0);
    // rows 0 (half) and 1 (full), column 1 (quarter)
    assertArrayEquals(new double[] {0, 0.125, 0, 0, 0.25, 0, 0, 0, 0}, r.pixels(), 1e-12);
  }

  @Test
  void blob_pixelValuesAreGaussianOfCentreDistance() {
    Raster r = new Raster(new ImageShape(2, 4, 4));
    r.blob(1, 1.5, 2.0, 1.0, 0.8);
    double[] p = r.pixels();
    ImageShape s = r.shape();
    assertEquals(0.0, p[s.index(0, 1, 1)], 0.0, "other channel untouched");
    // pixel (1, 1): centre (1.5, 1.5), distance 0.5 -> 0.8 exp(-0.125)
    assertEquals(0.8 * Math.exp(-0.125), p[s.index(1, 1, 1)], 1e-12);
    // pixel (3, 3): centre (3.5, 3.5), distance^2 = 4 + 2.25 -> 0.8 exp(-3.125)
    assertEquals(0.8 * Math.exp(-3.125), p[s.index(1, 3, 3)], 1e-12);
  }

  @Test
  void pixels_areClippedToUnitInterval() {
    Raster r = new Raster(new ImageShape(1, 1, 2));
    r.fillRect(0, 0, 1, 0, 1, 3.0);
    assertArrayEquals(new double[] {1.0, 0.0}, r.pixels(), 0.0);
  }

  @Test
  void lane_egoBoxCoversHandComputedPixels() {
    Task task = image("lane", 32).create();
    assertEquals(3 * 32 * 32, task.stateDim());
    assertEquals(new ImageShape(3, 32, 32), task.imageShape());
    assertEquals("obstacles_0_0", task.stateNames()[0]);
    assertEquals("ahead_31_31", task.stateNames()[3 * 1024 - 1]);
    // the state variant's seed 3: read y, then check the ego channel's column coverage sums to the car's area
    TaskEpisode stateEp = TaskConfig.ofState("lane", 1, 0, 0.0).create().newEpisode(3);
    double y = stateEp.state()[0];
    double[] img = task.newEpisode(3).state();
    ImageShape s = task.imageShape();
    double sum = 0;
    for (int r = 0; r < 32; r++) {
      for (int c = 0; c < 32; c++) {
        sum += img[s.index(1, r, c)];
      }
    }
    // 4.5 m x 2 m at 0.5 rows/m and 2 columns/m: 2.25 x 4 = 9 pixel units
    assertEquals(9.0, sum, 1e-9);
    // rows 26.875..29.125: row 26 has 1/8 of each column the box covers, row 27 the full coverage
    double left = (8 - y - 1) * 2;
    int col = (int) Math.floor(left) + 1;
    assertEquals(0.125, img[s.index(1, 26, col)], 1e-9);
    assertEquals(1.0, img[s.index(1, 27, col)], 1e-9);
    assertEquals(0.0, img[s.index(1, 25, col)], 0.0);
  }

  @Test
  void reach_objectBlobPeaksAtTheObject() {
    Task task = image("reach", 32).create();
    assertEquals(4 * 32 * 32, task.stateDim());
    double[] st = TaskConfig.ofState("reach", 1, 0, 0.0).create().newEpisode(5).state();
    double[] img = task.newEpisode(5).state();
    ImageShape s = task.imageShape();
    int row = (int) Math.floor((1 - st[7]) / 2 * 32);
    int col = (int) Math.floor((st[6] + 1) / 2 * 32);
    double peak = img[s.index(1, row, col)];
    for (int r = 0; r < 32; r++) {
      for (int c = 0; c < 32; c++) {
        assertTrue(img[s.index(1, r, c)] <= peak + 1e-12);
      }
    }
    assertTrue(peak > Math.exp(-0.5), "the object's own pixel is within 0.71 px of its centre");
    // gripper open at reset: amplitude 0.5
    int er = (int) Math.floor((1 - st[5]) / 2 * 32);
    int ec = (int) Math.floor((st[4] + 1) / 2 * 32);
    assertTrue(img[s.index(3, er, ec)] > 0.5 * Math.exp(-0.5) && img[s.index(3, er, ec)] <= 0.5);
  }

  @Test
  void imageVariant_sameOutcomesAsStateVariantAndDeterministic() {
    long[] seeds = LongStream.range(0, 20).toArray();
    for (String name : List.of("reach", "lane")) {
      List<EpisodeOutcome> state = Rollouts.expert(TaskConfig.ofState(name, 1, 0, 0.0).create(), seeds);
      List<EpisodeOutcome> img = Rollouts.expert(image(name, 16).create(), seeds);
      assertEquals(state, img, name);
      Task task = image(name, 16).create();
      assertArrayEquals(task.newEpisode(9).state(), task.newEpisode(9).state(), 0.0);
    }
  }

  @Test
  void config_imageOnTaskWithoutRenderer_isRejectedNamingKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> image("linear", 32));
    assertEquals("observation image is available for tasks [reach, lane], got task linear", e.getMessage());
    assertThrows(ConfigException.class, () -> image("lane", 4));
  }
}
