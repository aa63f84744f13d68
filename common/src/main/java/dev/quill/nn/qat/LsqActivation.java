package dev.quill.nn.qat;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Configuration of an LSQ activation-quantization layer (Esser et al., ICLR 2020; math in {@link LsqOps}):
 * an element-wise layer of width {@code nIn = nOut} that outputs {@code round(clip(v / s, -Q_N, Q_P)) * s}
 * with one learned step size {@code s} for the whole activation tensor. Quill inserts it after every hidden
 * ReLU layer of the policy MLP ({@link Quantization#withActivationQuant}), so the inputs of every weight layer
 * but the first are quantized ("W4A4").
 *
 * <p><b>Parameter layout</b> (for exporters): the layer has exactly one parameter, key {@value #STEP_KEY},
 * shape {@code [1, 1]}, the step size {@code s} in the activations' units (float). The integer activation
 * of the layer is {@code q = round(clip(v / s, -Q_N, Q_P))} with {@code Q_N = 0, Q_P = 2^bits - 1} when
 * {@code signed} is false and {@code Q_N = 2^(bits-1), Q_P = 2^(bits-1) - 1} otherwise. In a
 * {@code MultiLayerNetwork} the parameter is {@code network.getLayer(i).getParam("s")} for every layer
 * {@code i} whose configuration is an {@code LsqActivation}. Serialized with DL4J's configuration JSON
 * (fields {@code bits}, {@code signed}, {@code gradScale}, {@code initStep}) and ModelSerializer.
 */
public final class LsqActivation extends FeedForwardLayer {
  private static final long serialVersionUID = 1L;
  /** The step-size parameter's key. */
  public static final String STEP_KEY = "s";

  @JsonProperty("bits")
  private int bits;

  @JsonProperty("signed")
  private boolean signed;

  @JsonProperty("gradScale")
  private boolean gradScale;

  @JsonProperty("initStep")
  private double initStep;

  /** For JSON deserialization only. */
  public LsqActivation() {}

  private LsqActivation(Builder b) {
    super(b);
    this.bits = b.bits;
    this.signed = b.signed;
    this.gradScale = b.gradScale;
    this.initStep = b.initStep;
    initializeConstraints(b);
  }

  /**
   * A layer of {@code width} features quantized to {@code bits} in [2, 16], unsigned (after ReLU), LSQ gradient
   * scaling on, initial step {@code initStep > 0} (replace it with {@link LsqOps#initialStep} from data).
   */
  public static LsqActivation of(long width, int bits, double initStep) {
    return new Builder().nIn(width).nOut(width).bits(bits).initStep(initStep).build();
  }

  /** Bit width of the activations. */
  public int getBits() {
    return bits;
  }

  /** Whether the grid is signed. */
  public boolean isSigned() {
    return signed;
  }

  /** Whether the step-size gradient is scaled by {@code 1/sqrt(N Q_P)} (off only for gradient checks). */
  public boolean isGradScale() {
    return gradScale;
  }

  /** Initial step size. */
  public double getInitStep() {
    return initStep;
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView, boolean initializeParams,
      DataType networkDataType) {
    LsqActivationLayer layer = new LsqActivationLayer(conf, networkDataType);
    layer.setListeners(listeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(layerParamsView);
    Map<String, INDArray> table = initializer().init(conf, layerParamsView, initializeParams);
    layer.setParamTable(table);
    layer.setConf(conf);
    return layer;
  }

  @Override
  public ParamInitializer initializer() {
    return LsqParamInitializer.INSTANCE;
  }

  @Override
  public boolean isPretrainParam(String paramName) {
    return false;
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    InputType out = getOutputType(-1, inputType);
    return new LayerMemoryReport.Builder(layerName, LsqActivation.class, inputType, out)
        .standardMemory(1, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
  }

  @Override
  public LsqActivation clone() {
    return (LsqActivation) super.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LsqActivation other && super.equals(o) && bits == other.bits && signed == other.signed
        && gradScale == other.gradScale && Double.compare(initStep, other.initStep) == 0;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(super.hashCode(), bits, signed, gradScale, initStep);
  }

  /** Builder; {@code nIn} and {@code nOut} must be equal. */
  public static final class Builder extends FeedForwardLayer.Builder<Builder> {
    private int bits = 4;
    private boolean signed;
    private boolean gradScale = true;
    private double initStep = 1.0;

    /** Bit width in [2, 16]. */
    public Builder bits(int bits) {
      FakeQuantOps.maxLevel(bits);
      this.bits = bits;
      return this;
    }

    /** Signed grid (default unsigned, for ReLU outputs). */
    public Builder signed(boolean signed) {
      this.signed = signed;
      return this;
    }

    /** LSQ gradient scaling of the step size (default on). */
    public Builder gradScale(boolean gradScale) {
      this.gradScale = gradScale;
      return this;
    }

    /** Initial step size, > 0. */
    public Builder initStep(double initStep) {
      if (!(initStep > 0) || Double.isInfinite(initStep)) {
        throw new IllegalArgumentException("LSQ initStep must be a finite number > 0, got " + initStep);
      }
      this.initStep = initStep;
      return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public LsqActivation build() {
      if (nIn != nOut) {
        throw new IllegalArgumentException("LSQ layer must have nIn == nOut, got " + nIn + " and " + nOut);
      }
      return new LsqActivation(this);
    }
  }
}
