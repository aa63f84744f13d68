package dev.quill.export;

import dev.quill.runtime.ActivationQuantizer;
import dev.quill.runtime.DenseLayer;
import dev.quill.runtime.FactorizedHead;
import dev.quill.runtime.PolicyModel;
import dev.quill.runtime.WeightFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.shade.protobuf.ByteString;

/**
 * Writes an exported policy's network as an ONNX model (opset 13, IR version 7): input {@code state}
 * {@code [N, stateDim]} (raw states), {@code Sub}/{@code Div} normalization, per layer {@code MatMul},
 * {@code Add}, {@code Relu}; outputs {@code logits} {@code [N, sum B_j]} and, when all heads share one
 * vocabulary, {@code tokens} {@code [N, heads]} (int64, {@code ArgMax} over each head, first maximum on ties).
 * Quantized layers are QDQ: an int8 initializer of the integer levels, its float scales (per output channel,
 * {@code axis = 1}, or per tensor) and zero points 0 feed a {@code DequantizeLinear} whose output is the
 * weight, which ONNX Runtime may fuse into integer kernels. int4 layers are stored as int8 initializers holding
 * levels in [-8, 7] (ONNX's INT4 type needs opset 21). Layers with an activation quantizer (LSQ) add
 * {@code QuantizeLinear}/{@code DequantizeLinear} (and a {@code Clip} below 8 bits) on their outputs
 * ({@link #quantizeActivations}). The action decoding (tokenizer) stays in Quill; the
 * ONNX model ends at the logits/tokens.
 *
 * <p>The protobuf classes are ONNX's own {@code onnx.proto}, generated and shipped inside {@code nd4j-api}
 * (package {@code onnx}, shaded protobuf runtime), which Quill already depends on, so no new dependency.
 */
public final class OnnxExporter {
  private OnnxExporter() {}

  /** The ONNX model of {@code model}'s normalization, trunk and head, serialized. */
  public static byte[] toOnnx(PolicyModel model) {
    if (!(model.head() instanceof FactorizedHead head)) {
      throw new IllegalArgumentException("ONNX export supports the factorized head, got " + model.head().type());
    }
    GraphProto.Builder g = GraphProto.newBuilder().setName("quill_policy");
    int s = model.stateDim();
    g.addInput(valueInfo("state", TensorProto.DataType.FLOAT_VALUE, -1, s));
    double[] std = model.normalizer().std();
    float[] divisor = new float[s];
    float[] mean = new float[s];
    for (int i = 0; i < s; i++) {
      divisor[i] = (float) (std[i] > 1e-8 ? std[i] : 1.0);
      mean[i] = (float) model.normalizer().mean()[i];
    }
    g.addInitializer(floats("mean", mean, s));
    g.addInitializer(floats("std", divisor, s));
    g.addNode(node("Sub", "normalize_sub", List.of("state", "mean"), "centred"));
    g.addNode(node("Div", "normalize_div", List.of("centred", "std"), "x0"));
    List<DenseLayer> layers = new ArrayList<>(model.trunk());
    layers.add(head.output());
    String x = "x0";
    for (int l = 0; l < layers.size(); l++) {
      DenseLayer layer = layers.get(l);
      boolean last = l == layers.size() - 1;
      String w = weight(g, layer, l);
      g.addInitializer(floats("b" + l, layer.bias(), layer.nOut()));
      g.addNode(node("MatMul", "matmul" + l, List.of(x, w), "mm" + l));
      String added = last ? "logits" : "pre" + l;
      g.addNode(node("Add", "bias" + l, List.of("mm" + l, "b" + l), added));
      if (layer.activation() == dev.quill.runtime.Activation.RELU) {
        g.addNode(node("Relu", "relu" + l, List.of(added), last ? "logits_relu" : "x" + (l + 1)));
        x = last ? "logits_relu" : "x" + (l + 1);
      } else {
        x = added;
      }
      if (layer.quantizer() != null) {
        x = quantizeActivations(g, layer.quantizer(), x, l);
      }
    }
    if (!x.equals("logits")) {
      throw new IllegalArgumentException("ONNX export: the output layer must have the identity activation");
    }
    g.addOutput(valueInfo("logits", TensorProto.DataType.FLOAT_VALUE, -1, head.outputWidth()));
    int d = head.numTokens();
    int b = head.vocabSize(0);
    boolean equal = true;
    for (int j = 0; j < d; j++) {
      equal &= head.vocabSize(j) == b;
    }
    if (equal) {
      TensorProto.Builder shape = TensorProto.newBuilder().setName("token_shape").setDataType(TensorProto.DataType.INT64_VALUE)
          .addDims(3).addInt64Data(0).addInt64Data(d).addInt64Data(b);
      g.addInitializer(shape);
      g.addNode(node("Reshape", "per_head", List.of("logits", "token_shape"), "head_logits"));
      g.addNode(node("ArgMax", "argmax", List.of("head_logits"), "tokens").toBuilder()
          .addAttribute(intAttr("axis", 2)).addAttribute(intAttr("keepdims", 0)).build());
      g.addOutput(valueInfo("tokens", TensorProto.DataType.INT64_VALUE, -1, d));
    }
    return ModelProto.newBuilder().setIrVersion(7).setProducerName("quill").setProducerVersion("0.1.0")
        .setDocString(model.metadata())
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(g).build().toByteArray();
  }

  /**
   * LSQ activation quantization of {@code x} as {@code QuantizeLinear} (scale {@code s}, zero point 0, uint8 when
   * unsigned, int8 when signed) and {@code DequantizeLinear}, followed for fewer than 8 bits by a {@code Clip} to
   * {@code [-Q_N s, Q_P s]}: QuantizeLinear saturates to the 8-bit range only, and clipping the dequantized
   * values {@code q s} at {@code Q_P s} gives exactly the float {@code Q_P * s} that LSQ's clip-then-round
   * produces. Differences from Quill: QuantizeLinear rounds halves to even where LSQ rounds them away from zero
   * (only for {@code v / s} exactly on a half), and runtimes may compute {@code v / s} differently in the last bit.
   */
  private static String quantizeActivations(GraphProto.Builder g, ActivationQuantizer q, String x, int l) {
    if (q.bits() > 8) {
      throw new IllegalArgumentException("ONNX export: layer " + l + " quantizes activations to " + q.bits()
          + " bits; QuantizeLinear at opset 13 holds at most 8");
    }
    int type = q.signed() ? TensorProto.DataType.INT8_VALUE : TensorProto.DataType.UINT8_VALUE;
    String p = "a" + l;
    g.addInitializer(floats(p + "_scale", new float[] {q.step()}));
    g.addInitializer(TensorProto.newBuilder().setName(p + "_zero").setDataType(type).setRawData(ByteString.copyFrom(new byte[1])));
    g.addNode(node("QuantizeLinear", "quantize_" + p, List.of(x, p + "_scale", p + "_zero"), p + "_q"));
    g.addNode(node("DequantizeLinear", "dequantize_" + p, List.of(p + "_q", p + "_scale", p + "_zero"), p + "_dq"));
    if (q.bits() == 8) {
      return p + "_dq";
    }
    g.addInitializer(floats(p + "_min", new float[] {(float) -q.qN() * q.step()}));
    g.addInitializer(floats(p + "_max", new float[] {(float) q.qP() * q.step()}));
    g.addNode(node("Clip", "clip_" + p, List.of(p + "_dq", p + "_min", p + "_max"), p + "_clip"));
    return p + "_clip";
  }

  private static String weight(GraphProto.Builder g, DenseLayer layer, int l) {
    int nIn = layer.nIn();
    int nOut = layer.nOut();
    if (layer.format() == WeightFormat.FP32) {
      float[] w = new float[nIn * nOut];
      for (int i = 0; i < nIn; i++) {
        for (int o = 0; o < nOut; o++) {
          w[i * nOut + o] = layer.weight(i, o);
        }
      }
      g.addInitializer(floats("W" + l, w, nIn, nOut));
      return "W" + l;
    }
    byte[] q = new byte[nIn * nOut];
    for (int i = 0; i < nIn; i++) {
      for (int o = 0; o < nOut; o++) {
        q[i * nOut + o] = (byte) layer.level(i, o);
      }
    }
    g.addInitializer(TensorProto.newBuilder().setName("W" + l + "_q").setDataType(TensorProto.DataType.INT8_VALUE)
        .addDims(nIn).addDims(nOut).setRawData(ByteString.copyFrom(q)));
    float[] scales = layer.scales();
    boolean perChannel = scales.length == nOut && nOut > 1;
    TensorProto.Builder scale = TensorProto.newBuilder().setName("W" + l + "_scale").setDataType(TensorProto.DataType.FLOAT_VALUE)
        .setRawData(ByteString.copyFrom(le(perChannel ? scales : new float[] {scales[0]})));
    TensorProto.Builder zero = TensorProto.newBuilder().setName("W" + l + "_zero").setDataType(TensorProto.DataType.INT8_VALUE)
        .setRawData(ByteString.copyFrom(new byte[perChannel ? nOut : 1]));
    if (perChannel) {
      scale.addDims(nOut);
      zero.addDims(nOut);
    }
    g.addInitializer(scale);
    g.addInitializer(zero);
    NodeProto.Builder dq = node("DequantizeLinear", "dequantize" + l, List.of("W" + l + "_q", "W" + l + "_scale", "W" + l + "_zero"),
        "W" + l).toBuilder();
    if (perChannel) {
      dq.addAttribute(intAttr("axis", 1));
    }
    g.addNode(dq);
    return "W" + l;
  }

  private static NodeProto node(String op, String name, List<String> inputs, String output) {
    return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output).build();
  }

  private static AttributeProto intAttr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  private static TensorProto.Builder floats(String name, float[] v, long... dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .setRawData(ByteString.copyFrom(le(v)));
    for (long d : dims) {
      t.addDims(d);
    }
    return t;
  }

  private static byte[] le(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  private static ValueInfoProto valueInfo(String name, int elemType, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
          : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
  }
}
