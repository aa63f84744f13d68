package dev.quill.spark.qat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.spark.qat.SqilTables.Cell;
import dev.quill.spark.qat.SqilTables.Concentration;
import dev.quill.spark.qat.SqilTables.Tail;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqilTablesTest {
  @Test
  void precision_parse_labelsAndOverrides() {
    assertEquals(new Precision(4, 4, true), Precision.parse("W4A4"));
    assertEquals("W2-pt", Precision.parse("w2-pt").label());
    assertEquals(List.of("qat.bits=3", "qat.activationBits=0", "qat.perChannel=true"), Precision.parse("W3").overrides());
    assertEquals("precision must look like W4, W4A4 or W4-pt, got 'int4'",
        assertThrows(IllegalArgumentException.class, () -> Precision.parse("int4")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Precision.parse("W5"));
  }

  @Test
  void quantile_nearestRank_handComputed() {
    double[] v = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
    assertEquals(8, Discrepancy.quantile(v, 0.8), 0);
    assertEquals(10, Discrepancy.quantile(v, 0.95), 0);
    assertEquals(1, Discrepancy.quantile(v, 0.0), 0);
  }

  @Test
  void concentration_andMassShare_handComputed() {
    // 10 states; top-20 % SIS (above the 8th smallest, 7) = states 8 and 9; top-20 % discrepancy (above the 8th
    // smallest, 2) = states 3 and 9; one of the two is in the top SIS; mass there (2 + 10) / 28
    double[] sis = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    double[] d = {1, 1, 1, 9, 1, 1, 1, 1, 2, 10};
    assertEquals(0.5, Discrepancy.concentration(d, sis, 0.2, 0.2), 1e-12);
    assertEquals(12.0 / 28.0, Discrepancy.massShare(d, sis, 0.2), 1e-12);
    assertEquals(5.0, Discrepancy.mean(d, new boolean[] {false, false, false, true, true, false, false, false, false, false}), 0);
  }

  @Test
  void table1_meanAndSampleStd_overSeeds() {
    List<Cell> cells = List.of(new Cell("reach", "FP", "fp", 1, 0.9, -1, 1, 0), new Cell("reach", "FP", "fp", 2, 0.7, -3, 1, 0),
        new Cell("reach", "W4", "ptq", 1, 0.5, -5, 1, 2.0), new Cell("reach", "W4", "ptq", 2, 0.5, -7, 1, 4.0));
    String csv = SqilTables.table1Csv(cells);
    // success (0.9, 0.7): mean 0.8, sample std sqrt(0.02) = 0.1414; return (-1, -3): mean -2, std sqrt(2) = 1.4142
    assertTrue(csv.contains("reach,FP,fp,2,0.8000,0.1414,-2.0000,1.4142,1.0000,0"), csv);
    assertTrue(csv.contains("reach,W4,ptq,2,0.5000,0.0000,-6.0000,1.4142,1.0000,3"), csv);
    String md = SqilTables.renderTable1(cells);
    assertTrue(md.contains("| method | FP | W4 |"), md);
    assertTrue(md.contains("| fp | 0.800 ± 0.141 (-2.00 ± 1.41) | |"), md);
    assertTrue(md.contains("| ptq | | 0.500 ± 0.000 (-6.00 ± 1.41) |"), md);
  }

  @Test
  void table2_joinsConcentrationAndTails() {
    List<Concentration> conc = List.of(new Concentration("reach", "W2", 1, 0.6, 0.5), new Concentration("reach", "W2", 2, 0.4, 0.3));
    List<Tail> tails = List.of(new Tail("reach", "W2", "ptq", 1, 1, 2, 3), new Tail("reach", "W2", "ptq", 2, 3, 4, 5));
    String csv = SqilTables.table2Csv(conc, tails);
    assertTrue(csv.contains("reach,W2,ptq,2,0.5000,0.1414,0.4000,2.00000,3.00000,4.00000"), csv);
    assertTrue(SqilTables.renderTable2(conc, tails, 0.2).contains("| reach | W2 | 0.500 ± 0.141 | 0.400 ± 0.141 | 2.00 / 3.00 / 4.00 |"));
  }
}
