package dev.quill.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Invariants every {@link ActionTokenizer} must satisfy, shared by the tokenizer tests. */
public final class TokenizerInvariants {
  private TokenizerInvariants() {}

  /** Every token of every head (others at 0) survives decode then encode, where the tokenizer claims it. */
  public static void roundTrip(ActionTokenizer t) {
    assertTrue(t.exactRoundTrip(), t + " does not claim an exact round trip");
    for (int h = 0; h < t.numHeads(); h++) {
      for (int v = 0; v < t.vocabSize(h); v++) {
        int[] tokens = new int[t.numHeads()];
        tokens[h] = v;
        assertEquals(Arrays.toString(tokens), Arrays.toString(t.encode(t.decode(tokens))), t + " head " + h + " token " + v);
      }
    }
  }

  /** Reconstruction error of 20,000 uniform actions in {@code [low, high]} is at most {@code bound} per dimension. */
  public static void errorBound(ActionTokenizer t, double[] low, double[] high, double[] bound) {
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 20_000; i++) {
      double[] a = new double[low.length];
      double[] state = {i};
      for (int j = 0; j < a.length; j++) {
        a[j] = low[j] + (high[j] - low[j]) * rng.nextDouble();
      }
      double[] q = t.decode(state, t.encode(state, a));
      for (int j = 0; j < a.length; j++) {
        double e = Math.abs(q[j] - a[j]);
        assertTrue(e <= bound[j] + 1e-12, t + ": error " + e + " > " + bound[j] + " in dimension " + j + " at " + Arrays.toString(a));
      }
    }
  }

  /** NaN and infinities are rejected naming the dimension; huge finite values clip into valid tokens. */
  public static void badInput(ActionTokenizer t) {
    int last = t.actionDim() - 1;
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
      double[] a = new double[t.actionDim()];
      a[last] = bad;
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.encode(a));
      assertTrue(e.getMessage().contains("action dimension " + last + " is " + bad), e.getMessage());
    }
    for (double big : new double[] {-1e12, 1e12}) {
      double[] a = new double[t.actionDim()];
      Arrays.fill(a, big);
      int[] tokens = t.encode(a);
      assertEquals(t.numHeads(), tokens.length);
      for (int h = 0; h < tokens.length; h++) {
        assertTrue(tokens[h] >= 0 && tokens[h] < t.vocabSize(h), "token " + tokens[h] + " of head " + h + " for " + big);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> t.encode(new double[t.actionDim() + 1]));
  }

  /** The tokenizer survives its file format unchanged. */
  public static void fileRoundTrip(ActionTokenizer t) {
    assertEquals(t, TokenizerFiles.fromJson(TokenizerFiles.toJson(t), "memory"));
  }

  /** A golden tokenizer file from the test resources. */
  public static ActionTokenizer golden(String name) {
    try (InputStream in = TokenizerInvariants.class.getResourceAsStream("/golden/" + name)) {
      return TokenizerFiles.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
