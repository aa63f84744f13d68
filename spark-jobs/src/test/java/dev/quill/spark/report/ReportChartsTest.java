package dev.quill.spark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quill.train.EpochStats;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ReportChartsTest {
  @Test
  void lossPerEpoch_twoEpochs_png640x360() throws IOException {
    byte[] png = ReportCharts.lossPerEpoch(List.of(new EpochStats(1, 2.0, 2.1, 1, 10), new EpochStats(2, 1.0, 1.2, 1, 10)));
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(640, img.getWidth());
    assertEquals(360, img.getHeight());
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
  }

  @Test
  void epsPerDimension_samePoints_sameBytes() {
    byte[] a = ReportCharts.epsPerDimension(List.of("dx", "dy"), new double[] {0.1, 0.2}, new double[] {0.3, 0.4});
    byte[] b = ReportCharts.epsPerDimension(List.of("dx", "dy"), new double[] {0.1, 0.2}, new double[] {0.3, 0.4});
    assertEquals(java.util.Arrays.hashCode(a), java.util.Arrays.hashCode(b));
  }

  @Test
  void esc_markup_escaped() {
    assertEquals("a &lt;b&gt; &amp; &quot;c&quot;", RunReport.esc("a <b> & \"c\""));
  }
}
