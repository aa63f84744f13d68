package dev.quill.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.util.List;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.kryo.Nd4jRegistrator;

/**
 * Kryo registrations for Quill on Spark ({@code spark.kryo.registrator}), so that
 * {@code spark.kryo.registrationRequired=true} can be set: ND4J's arrays and DataSets through DL4J's
 * {@link Nd4jRegistrator}, Quill's serializable types (records, which Kryo 4's field serializer cannot
 * rebuild, go through their Java serialization and canonical constructors), DL4J's DataSet and
 * parameter-averaging results (Java serialization), and the JDK and Spark
 * types Quill's RDDs and broadcasts carry.
 */
public final class QuillKryoRegistrator implements KryoRegistrator {
  /** Quill classes shipped in broadcasts, closures' results and RDD elements. */
  static final List<String> QUILL_CLASSES = List.of(
      "dev.quill.config.QuillConfig", "dev.quill.config.SparkConfig", "dev.quill.config.IngestConfig",
      "dev.quill.config.RetrainConfig", "dev.quill.task.TaskConfig", "dev.quill.quant.QuantizeConfig",
      "dev.quill.eval.EvalConfig", "dev.quill.policy.TrainConfig", "dev.quill.policy.PolicyInfo",
      "dev.quill.dynamics.DynamicsConfig", "dev.quill.dynamics.DynamicsInfo", "dev.quill.spark.dynamics.DynamicsJob$Encoder",
      "dev.quill.policy.PolicyFiles$Bundle", "dev.quill.train.ExampleEncoder", "dev.quill.train.ExampleBlock",
      "dev.quill.train.EpochStats", "dev.quill.data.FeatureStats", "dev.quill.data.DatasetStats", "dev.quill.data.Finding",
      "dev.quill.eval.EpisodeOutcome", "dev.quill.util.AbsErrorStats", "dev.quill.quant.uniform.UniformBinTokenizer",
      "dev.quill.spark.eval.EvalJob$Result", "dev.quill.quant.quantile.QuantileBinTokenizer",
      "dev.quill.quant.mulaw.MuLawTokenizer", "dev.quill.quant.codebook.CodebookTokenizer",
      "dev.quill.quant.dither.DitheredTokenizer", "dev.quill.quant.trap.Theorem6Quantizer",
      "dev.quill.quant.audit.AuditConfig", "dev.quill.quant.audit.CodeUsage", "dev.quill.quant.audit.NeighbourSearch",
      "dev.quill.quant.audit.Smoothness", "dev.quill.spark.audit.EpisodeData", "dev.quill.hdf5.EpisodeRef",
      "dev.quill.saliency.SaliencyConfig", "dev.quill.saliency.MeanOcclusion", "dev.quill.saliency.GaussianPerturbation",
      "dev.quill.saliency.PatchOcclusion", "dev.quill.task.image.ImageShape",
      "dev.quill.nn.qat.QatConfig", "[Ldev.quill.spark.audit.EpisodeData;", "[Ldev.quill.quant.audit.CodeUsage;",
      "[Ldev.quill.quant.audit.Smoothness;", "dev.quill.spark.train.FusedAveraging$State",
      "[Ldev.quill.spark.train.FusedAveraging$State;");

  /** DL4J classes in RDD elements and task results (Java-serializable; sent through their Java serialization). */
  static final List<String> DL4J_CLASSES = List.of(
      "org.nd4j.linalg.dataset.DataSet", "org.nd4j.linalg.dataset.MultiDataSet",
      "org.deeplearning4j.spark.api.worker.NetBroadcastTuple",
      "org.deeplearning4j.spark.stats.ExampleCountEventStats", "org.deeplearning4j.spark.stats.PartitionCountEventStats",
      "org.deeplearning4j.spark.stats.BaseEventStats", "org.deeplearning4j.spark.api.stats.CommonSparkTrainingStats",
      "org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult",
      "org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingAggregationTuple",
      "org.deeplearning4j.spark.impl.paramavg.stats.ParameterAveragingTrainingWorkerStats",
      "org.deeplearning4j.spark.impl.paramavg.stats.ParameterAveragingTrainingMasterStats");

  /** JDK and Spark classes that reach Kryo and that Spark does not register itself. */
  static final List<String> PLAIN_CLASSES = List.of(
      "java.util.ArrayList", "java.util.LinkedHashMap", "java.util.HashMap", "java.util.TreeMap",
      "java.util.Collections$UnmodifiableRandomAccessList", "java.util.ImmutableCollections$ListN",
      "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$MapN", "java.util.ImmutableCollections$Map1",
      "[Ldev.quill.eval.EpisodeOutcome;", "[Ldev.quill.data.Finding;", "[Ldev.quill.train.EpochStats;",
      "[Ldev.quill.train.ExampleBlock;", "[Ldev.quill.util.AbsErrorStats;", "[D", "[[D", "[F", "[I", "[J", "[B", "[[B", "[Ljava.lang.String;", "[Ljava.lang.Object;", "java.lang.Class",
      "org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema", "org.apache.spark.sql.catalyst.expressions.GenericRow",
      "org.apache.spark.sql.types.StructType", "[Lorg.apache.spark.sql.types.StructField;",
      "org.apache.spark.sql.types.StructField", "org.apache.spark.sql.types.Metadata",
      "org.apache.spark.sql.types.ArrayType", "org.apache.spark.sql.types.DoubleType$", "org.apache.spark.sql.types.FloatType$",
      "org.apache.spark.sql.types.LongType$", "org.apache.spark.sql.types.IntegerType$", "org.apache.spark.sql.types.StringType$",
      "org.apache.spark.sql.types.BooleanType$", "scala.collection.mutable.WrappedArray$ofRef",
      "scala.collection.immutable.Map$EmptyMap$", "scala.reflect.ClassTag$GenericClassTag");

  @Override
  public void registerClasses(Kryo kryo) {
    new Nd4jRegistrator().registerClasses(kryo);
    for (String name : DL4J_CLASSES) {
      kryo.register(load(name), new JavaSerializer());
    }
    for (String name : QUILL_CLASSES) {
      kryo.register(load(name), new JavaSerializer());
    }
    for (String name : PLAIN_CLASSES) {
      kryo.register(load(name));
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, QuillKryoRegistrator.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Kryo registration: class " + name + " is not on the classpath", e);
    }
  }
}
