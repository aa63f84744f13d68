package dev.quill.export;

import dev.quill.data.DatasetStats;
import dev.quill.data.FeatureStats;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyInfo;
import dev.quill.policy.PolicyNetworks;
import dev.quill.policy.TrainConfig;
import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.uniform.UniformBinTokenizer;
import dev.quill.task.Task;
import dev.quill.task.TaskConfig;
import dev.quill.task.TaskEpisode;
import dev.quill.train.ExampleBlock;
import dev.quill.train.ExampleEncoder;
import dev.quill.train.LocalTrainer;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/** A small reach policy trained in this JVM, and its held-out states, for the export tests. */
final class ExportFixtures {
  /** Training and held-out states/actions of expert rollouts. */
  record Demos(Task task, List<double[]> trainStates, List<double[]> trainActions, List<double[]> heldout) {}

  private ExportFixtures() {}

  static Demos reachDemos(int trainEpisodes, int heldoutEpisodes) {
    Task task = TaskConfig.ofState("reach", trainEpisodes, 0, 0.01).create();
    List<double[]> states = new ArrayList<>();
    List<double[]> actions = new ArrayList<>();
    List<double[]> heldout = new ArrayList<>();
    for (int e = 0; e < trainEpisodes + heldoutEpisodes; e++) {
      TaskEpisode ep = task.newEpisode(1000 + e);
      while (!ep.done()) {
        double[] s = ep.state();
        double[] a = ep.expertAction();
        if (e < trainEpisodes) {
          states.add(s);
          actions.add(a);
        } else {
          heldout.add(s);
        }
        ep.step(a);
      }
    }
    return new Demos(task, states, actions, heldout);
  }

  static FeatureStats stats(List<double[]> xs) {
    int d = xs.get(0).length;
    double[] mean = new double[d];
    double[] std = new double[d];
    double[] min = new double[d];
    double[] max = new double[d];
    java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (double[] x : xs) {
      for (int j = 0; j < d; j++) {
        mean[j] += x[j] / xs.size();
        min[j] = Math.min(min[j], x[j]);
        max[j] = Math.max(max[j], x[j]);
      }
    }
    for (double[] x : xs) {
      for (int j = 0; j < d; j++) {
        std[j] += (x[j] - mean[j]) * (x[j] - mean[j]) / xs.size();
      }
    }
    for (int j = 0; j < d; j++) {
      std[j] = Math.sqrt(std[j]);
    }
    return new FeatureStats(mean, std, min, max, min.clone(), max.clone(), xs.size());
  }

  /** A factorized policy over {@code bins} uniform bins, hidden {@code hidden}, trained {@code epochs} epochs. */
  static Policy train(Demos demos, int bins, List<Integer> hidden, int epochs) {
    DatasetStats stats = new DatasetStats(stats(demos.trainStates()), stats(demos.trainActions()));
    ActionTokenizer tokenizer = new UniformBinTokenizer(bins, stats.action().min(), stats.action().max());
    int sd = demos.task().stateDim();
    int ad = demos.task().actionDim();
    TrainConfig tc = new TrainConfig("factorized", hidden, epochs, 64, 0.003, 5, "auto");
    MultiLayerNetwork net = new MultiLayerNetwork(PolicyNetworks.factorized(sd, ad, bins, hidden, new Adam(0.003), 7, DataType.FLOAT));
    net.init();
    ExampleEncoder enc = new ExampleEncoder(stats, tokenizer);
    ExampleBlock block = ExampleBlock.allocate(demos.trainStates().size(), sd, ad);
    for (int i = 0; i < block.size(); i++) {
      enc.encode(demos.trainStates().get(i), demos.trainActions().get(i), block, i);
    }
    LocalTrainer.fit(net, block, 64, epochs, 7, null, null);
    PolicyInfo info = new PolicyInfo(PolicyInfo.FORMAT, PolicyInfo.FORMAT_VERSION, "factorized", "reach", sd, ad,
        List.of(demos.task().stateNames()), List.of(demos.task().actionNames()), tc, 7, epochs, Double.NaN);
    return new Policy(net, tokenizer, stats, info);
  }
}
