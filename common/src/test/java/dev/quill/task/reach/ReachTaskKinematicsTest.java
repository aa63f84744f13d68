package dev.quill.task.reach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReachTaskKinematicsTest {

  @Test
  void forward_handSetConfigurations() {
    assertArrayEquals(new double[] {0.5, 0.5}, ArmKinematics.forward(0.0, Math.PI / 2), 1e-15);
    assertArrayEquals(new double[] {1.0, 0.0}, ArmKinematics.forward(0.0, 0.0), 1e-15);
    assertArrayEquals(new double[] {0.0, 1.0}, ArmKinematics.forward(Math.PI / 2, 0.0), 1e-15);
    assertArrayEquals(new double[] {-0.5, -0.5}, ArmKinematics.forward(Math.PI, Math.PI / 2), 1e-15);
    assertArrayEquals(new double[] {0.0, 0.0}, ArmKinematics.forward(0.3, Math.PI), 1e-15);
  }

  @Test
  void inverse_handSetPoint_isElbowDown() {
    assertArrayEquals(new double[] {0.0, Math.PI / 2}, ArmKinematics.inverse(0.5, 0.5), 1e-15);
    assertArrayEquals(new double[] {Math.PI / 2, 0.0}, ArmKinematics.inverse(0.0, 1.0), 1e-7);
  }

  @Test
  void inverse_outOfReach_stretchesTowardPoint() {
    assertArrayEquals(new double[] {Math.PI / 4, 0.0}, ArmKinematics.inverse(2.0, 2.0), 1e-15);
  }

  @Test
  void inverseThenForward_randomReachablePoints_roundTrip() {
    SplittableRandom rng = new SplittableRandom(123);
    for (int i = 0; i < 1000; i++) {
      double r = rng.nextDouble(0.02, 0.999);
      double angle = rng.nextDouble(-Math.PI, Math.PI);
      double x = r * Math.cos(angle);
      double y = r * Math.sin(angle);
      double[] q = ArmKinematics.inverse(x, y);
      assertTrue(q[1] >= 0.0 && q[1] <= Math.PI, "elbow-down q2 " + q[1]);
      assertTrue(q[0] > -Math.PI && q[0] <= Math.PI, "wrapped q1 " + q[0]);
      assertArrayEquals(new double[] {x, y}, ArmKinematics.forward(q[0], q[1]), 1e-9, "point " + i);
    }
  }

  @Test
  void forwardThenInverse_elbowDownConfigurations_roundTrip() {
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < 1000; i++) {
      double q1 = rng.nextDouble(-Math.PI, Math.PI);
      double q2 = rng.nextDouble(0.05, Math.PI - 0.05);
      double[] p = ArmKinematics.forward(q1, q2);
      double[] q = ArmKinematics.inverse(p[0], p[1]);
      assertEquals(0.0, ArmKinematics.wrap(q[0] - q1), 1e-7, "q1 " + i);
      assertEquals(q2, q[1], 1e-7, "q2 " + i);
    }
  }

  @Test
  void wrap_mapsIntoHalfOpenInterval() {
    assertEquals(Math.PI, ArmKinematics.wrap(Math.PI), 0.0);
    assertEquals(Math.PI, ArmKinematics.wrap(-Math.PI), 0.0);
    assertEquals(0.0, ArmKinematics.wrap(0.0), 0.0);
    assertEquals(-Math.PI / 2, ArmKinematics.wrap(1.5 * Math.PI), 1e-15);
    assertEquals(7.0 - 2 * Math.PI, ArmKinematics.wrap(7.0), 1e-15);
    assertEquals(-7.0 + 2 * Math.PI, ArmKinematics.wrap(-7.0), 1e-15);
    assertEquals(0.5, ArmKinematics.wrap(0.5 + 10 * Math.PI), 1e-12);
  }

  @Test
  void resolvedRate_smallDisplacement_movesEndEffectorByIt() {
    double q1 = 0.3;
    double q2 = 1.2;
    double[] dq = ArmKinematics.resolvedRate(q1, q2, 1e-3, -2e-3, 1e-6);
    double[] before = ArmKinematics.forward(q1, q2);
    double[] after = ArmKinematics.forward(q1 + dq[0], q2 + dq[1]);
    assertArrayEquals(new double[] {1e-3, -2e-3}, new double[] {after[0] - before[0], after[1] - before[1]}, 1e-5);
  }
}
