package dev.quill.export;

import dev.quill.nn.qat.FakeQuantOps;
import dev.quill.nn.qat.FakeQuantWeights;
import dev.quill.nn.qat.LsqActivation;
import dev.quill.policy.Policy;
import dev.quill.runtime.Activation;
import dev.quill.runtime.ActivationQuantizer;
import dev.quill.runtime.AutoregressiveHead;
import dev.quill.runtime.DenseLayer;
import dev.quill.runtime.FactorizedHead;
import dev.quill.runtime.Normalizer;
import dev.quill.runtime.PolicyModel;
import dev.quill.runtime.WeightFormat;
import dev.quill.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Turns a trained {@link Policy} into the runtime's {@link PolicyModel}. Layers are read generically from
 * their parameter tables: every layer must hold exactly {@code W [nIn, nOut]} and {@code b [1, nOut]} with a
 * ReLU or identity activation (DL4J dense and output layers, and any fused output layer with the same
 * parameters); anything else fails with a message naming the layer. A layer trained with
 * {@link FakeQuantWeights} is exported on its trained grid: the integer levels are computed with the same
 * ND4J operations as {@link FakeQuantOps}, so {@code scale * level} is bit for bit the weight the QAT network
 * uses (Park et al., ICCV 2025). Float layers are exported as fp32, or post-training quantized (round to
 * nearest, symmetric) when int8/int4 is requested. An {@link LsqActivation} layer (activation quantization,
 * Esser et al., ICLR 2020; {@code qat.activationBits}) that follows a hidden layer becomes that layer's
 * {@link ActivationQuantizer} with the trained step size, which the runtime applies exactly as
 * {@code LsqOps.forward} does; such models are written as format version 2.
 */
public final class PolicyExporter {
  /** Value of the metadata's {@code format} key. */
  public static final String FORMAT = "quill.policy-artifact";

  private PolicyExporter() {}

  /**
   * Exports {@code policy} with {@code options}: the {@code factorized} and {@code codebook} heads (one
   * MultiLayerNetwork) and the {@code autoregressive} head (its ComputationGraph: trunk layers, the stacked
   * {@code heads} layer, and the previous-token embeddings {@code emb_j}, kept in fp32 as lookup tables). Sampled
   * decoding and the {@code continuous} head are refused: the runtime decodes greedily and only token heads.
   */
  public static PolicyModel export(Policy policy, ExportOptions options) {
    String head = policy.info().head();
    if ("autoregressive".equals(head)) {
      return exportAutoregressive(policy, options);
    }
    if (!"factorized".equals(head) && !"codebook".equals(head)) {
      throw new IllegalArgumentException("policy head \"" + head + "\" cannot be exported (supported: factorized, codebook, "
          + "autoregressive with greedy decoding)");
    }
    MultiLayerNetwork net = policy.network();
    List<DenseLayer> layers = new ArrayList<>();
    List<Map<String, Object>> layerInfo = new ArrayList<>();
    for (int i = 0; i < net.getnLayers(); i++) {
      if (net.getLayer(i).conf().getLayer() instanceof LsqActivation lsq) {
        if (layers.isEmpty()) {
          throw new IllegalArgumentException("layer " + i + " (LsqActivationLayer): an LSQ activation layer cannot be first");
        }
        int last = layers.size() - 1;
        layers.set(last, withLsq(layers.get(last), net.getLayer(i), lsq, i, i == net.getnLayers() - 1, layerInfo.get(last)));
      } else {
        layers.add(exportLayer(net.getLayer(i), i, options, layerInfo));
      }
    }
    DenseLayer output = layers.remove(layers.size() - 1);
    int[] vocab = vocab(policy);
    return new PolicyModel(metadata(policy, options, layerInfo), normalizer(policy), layers, new FactorizedHead(output, vocab),
        TokenizerExport.decoderOf(policy.tokenizer()));
  }

  /** The autoregressive graph (layout in {@code PolicyNetworks}' Javadoc) as trunk layers + an {@link AutoregressiveHead}. */
  private static PolicyModel exportAutoregressive(Policy policy, ExportOptions options) {
    if (!"greedy".equals(policy.info().train().decoding())) {
      throw new IllegalArgumentException("the autoregressive policy decodes with train.decoding="
          + policy.info().train().decoding() + "; the runtime decodes greedily (export a greedy policy)");
    }
    ComputationGraph g = policy.graph();
    List<DenseLayer> layers = new ArrayList<>();
    List<Map<String, Object>> layerInfo = new ArrayList<>();
    int l = 0;
    for (; l < policy.info().train().hidden().size(); l++) {
      layers.add(exportLayer(g.getLayer("trunk" + l), l, options, layerInfo));
    }
    DenseLayer output = exportLayer(g.getLayer("heads"), l, options, layerInfo);
    int[] vocab = vocab(policy);
    float[][][] emb = new float[vocab.length][][];
    emb[0] = new float[0][];
    for (int j = 1; j < vocab.length; j++) {
      // emb_j's W is [sum_{i<j} B_i, B_j]; rows i*B .. (i+1)*B are E_{j,i}, row-major as the runtime stores it
      float[] w = g.getLayer("emb_" + j).getParam("W").castTo(DataType.FLOAT).dup('c').data().asFloat();
      emb[j] = new float[j][];
      int offset = 0;
      for (int i = 0; i < j; i++) {
        emb[j][i] = java.util.Arrays.copyOfRange(w, offset, offset + vocab[i] * vocab[j]);
        offset += vocab[i] * vocab[j];
      }
    }
    return new PolicyModel(metadata(policy, options, layerInfo), normalizer(policy), layers,
        new AutoregressiveHead(output, vocab, emb), TokenizerExport.decoderOf(policy.tokenizer()));
  }

  private static int[] vocab(Policy policy) {
    int[] vocab = new int[policy.tokenizer().numHeads()];
    for (int h = 0; h < vocab.length; h++) {
      vocab[h] = policy.tokenizer().vocabSize(h);
    }
    return vocab;
  }

  private static Normalizer normalizer(Policy policy) {
    return new Normalizer(policy.stats().state().mean(), policy.stats().state().std());
  }

  private static String metadata(Policy policy, ExportOptions options, List<Map<String, Object>> layerInfo) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("weights", options.weights());
    meta.put("layers", layerInfo);
    meta.put("policy", policy.info());
    return Json.write(meta);
  }

  private static DenseLayer exportLayer(Layer layer, int index, ExportOptions options, List<Map<String, Object>> info) {
    String name = "layer " + index + " (" + layer.getClass().getSimpleName() + ")";
    Map<String, INDArray> params = layer.paramTable();
    if (!params.keySet().equals(Set.of("W", "b"))) {
      throw new IllegalArgumentException(name + " has parameters " + new TreeSet<>(params.keySet())
          + "; the exporter supports layers whose parameters are exactly W [nIn, nOut] and b [1, nOut] (dense and output layers)");
    }
    if (!(layer.conf().getLayer() instanceof BaseLayer conf)) {
      throw new IllegalArgumentException(name + " has no feed-forward configuration; it cannot be exported");
    }
    INDArray w = params.get("W").castTo(DataType.FLOAT);
    INDArray b = params.get("b").castTo(DataType.FLOAT);
    if (w.rank() != 2 || b.length() != w.size(1)) {
      throw new IllegalArgumentException(name + ": W has shape " + java.util.Arrays.toString(w.shape()) + " and b has "
          + b.length() + " values; expected W [nIn, nOut] and b [1, nOut]");
    }
    Activation act = activation(conf.getActivationFn(), name);
    int nIn = (int) w.size(0);
    int nOut = (int) w.size(1);
    IWeightNoise noise = conf.getWeightNoise();
    Integer trainedBits = null;
    boolean perChannel = options.perChannel();
    if (noise instanceof FakeQuantWeights fq) {
      trainedBits = fq.getBits();
      perChannel = fq.isPerChannel();
    } else if (noise != null) {
      throw new IllegalArgumentException(name + " uses weight noise " + noise + "; only FakeQuantWeights (QAT) can be exported");
    }
    WeightFormat format = storage(options.weights(), trainedBits, name);
    float[] bias = b.dup('c').data().asFloat();
    Map<String, Object> li = new LinkedHashMap<>();
    li.put("layer", index);
    li.put("nIn", nIn);
    li.put("nOut", nOut);
    li.put("activation", act.name().toLowerCase());
    li.put("storage", format.name().toLowerCase());
    li.put("trainedBits", trainedBits == null ? 32 : trainedBits);
    if (format == WeightFormat.FP32) {
      INDArray effective = trainedBits == null ? w : FakeQuantOps.fakeQuantize(w, trainedBits, perChannel);
      info.add(li);
      return DenseLayer.fp32(nIn, nOut, act, effective.dup('c').data().asFloat(), bias);
    }
    int bits = trainedBits != null ? trainedBits : format.bits();
    INDArray s = FakeQuantOps.scales(w, bits, perChannel);
    int levels = FakeQuantOps.maxLevel(bits);
    INDArray q = w.dup('c');
    if (perChannel) {
      q.diviRowVector(s);
    } else {
      q.divi(s.getDouble(0));
    }
    Transforms.round(q, false);
    Transforms.min(q, levels, false);
    Transforms.max(q, -levels, false);
    float[] qf = q.dup('c').data().asFloat();
    int[] qi = new int[qf.length];
    for (int k = 0; k < qf.length; k++) {
      qi[k] = (int) qf[k];
    }
    li.put("gridBits", bits);
    li.put("perChannel", perChannel);
    info.add(li);
    return DenseLayer.quantized(nIn, nOut, format, act, qi, s.dup('c').data().asFloat(), bias);
  }

  /**
   * {@code previous} with the LSQ layer {@code index} as its activation quantizer: the step is the layer's
   * parameter {@code s} (a float, floored at 1e-8 as {@code LsqActivationLayer} does), bits and signedness
   * from its configuration; it must directly follow a hidden weight layer of the same width.
   */
  private static DenseLayer withLsq(DenseLayer previous, Layer layer, LsqActivation lsq, int index, boolean isLast,
      Map<String, Object> info) {
    String name = "layer " + index + " (" + layer.getClass().getSimpleName() + ")";
    if (previous.quantizer() != null || isLast) {
      throw new IllegalArgumentException(name + ": an LSQ activation layer must directly follow a hidden weight layer"
          + " (not be last or follow another LSQ layer)");
    }
    Map<String, INDArray> params = layer.paramTable();
    INDArray s = params.get(LsqActivation.STEP_KEY);
    if (!params.keySet().equals(Set.of(LsqActivation.STEP_KEY)) || s.length() != 1 || lsq.getNIn() != previous.nOut()) {
      throw new IllegalArgumentException(name + " has parameters " + new TreeSet<>(params.keySet()) + " and width "
          + lsq.getNIn() + "; expected exactly s [1, 1] and width " + previous.nOut() + " (the preceding layer's)");
    }
    float step = Math.max(s.castTo(DataType.FLOAT).getFloat(0), (float) 1e-8);
    ActivationQuantizer q = new ActivationQuantizer(lsq.getBits(), lsq.isSigned(), step);
    info.put("activationBits", q.bits());
    info.put("activationSigned", q.signed());
    info.put("activationStep", q.step());
    return previous.withQuantizer(q);
  }

  private static WeightFormat storage(String weights, Integer trainedBits, String name) {
    return switch (weights) {
      case "fp32" -> WeightFormat.FP32;
      case "auto" -> trainedBits == null ? WeightFormat.FP32 : trainedBits <= 4 ? WeightFormat.INT4 : WeightFormat.INT8;
      default -> {
        WeightFormat f = WeightFormat.parse(weights);
        if (trainedBits != null && trainedBits > f.bits()) {
          throw new IllegalArgumentException(name + " was trained with " + trainedBits + "-bit weights; storing them as "
              + weights + " would change them (export with --weights auto, int8 or fp32)");
        }
        yield f;
      }
    };
  }

  private static Activation activation(IActivation fn, String name) {
    if (fn instanceof ActivationReLU) {
      return Activation.RELU;
    }
    if (fn instanceof ActivationIdentity) {
      return Activation.IDENTITY;
    }
    throw new IllegalArgumentException(name + " has activation " + fn + "; the runtime supports relu and identity");
  }
}
