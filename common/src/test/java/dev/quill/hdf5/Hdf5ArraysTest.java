package dev.quill.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Conversions of jHDF results to floats, and layout names. */
class Hdf5ArraysTest {
  @Test
  void flat_doubles_areNarrowedToFloats() {
    assertArrayEquals(new float[] {1.5f, -2f}, Hdf5Arrays.flat(new double[] {1.5, -2.0}));
  }

  @Test
  void flat_h5pyBooleanEnumNames_becomeZeroAndOne() {
    assertArrayEquals(new float[] {0f, 1f, 0f}, Hdf5Arrays.flat(new String[] {"FALSE", "TRUE", "FALSE"}));
  }

  @Test
  void flat_integersAndBooleans_areConverted() {
    assertArrayEquals(new float[] {0f, 1f, 7f}, Hdf5Arrays.flat(new long[] {0, 1, 7}));
    assertArrayEquals(new float[] {1f, 0f}, Hdf5Arrays.flat(new boolean[] {true, false}));
    assertArrayEquals(new float[] {3f, -4f}, Hdf5Arrays.flat(new byte[] {3, -4}));
  }

  @Test
  void layoutOf_knownNames_roundTripAndUnknownFails() {
    for (Hdf5Layout l : Hdf5Layout.values()) {
      assertEquals(l, Hdf5Layout.of(l.id()));
    }
    assertEquals("robomimic", Hdf5Layout.ROBOMIMIC.id());
    assertThrows(IllegalArgumentException.class, () -> Hdf5Layout.of("rlds"));
  }
}
