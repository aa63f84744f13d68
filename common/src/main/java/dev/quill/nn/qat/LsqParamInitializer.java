package dev.quill.nn.qat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters of {@link LsqActivation}: one step size {@value LsqActivation#STEP_KEY} of shape {@code [1, 1]},
 * initialized to the configuration's {@code initStep}; neither a weight (weight noise, e.g.
 * {@link FakeQuantWeights}, and weight regularization do not apply) nor a bias.
 */
public final class LsqParamInitializer implements ParamInitializer {
  /** The single instance. */
  public static final LsqParamInitializer INSTANCE = new LsqParamInitializer();

  private LsqParamInitializer() {}

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return 1;
  }

  @Override
  public long numParams(Layer layer) {
    return 1;
  }

  @Override
  public List<String> paramKeys(Layer layer) {
    return List.of(LsqActivation.STEP_KEY);
  }

  @Override
  public List<String> weightKeys(Layer layer) {
    return List.of();
  }

  @Override
  public List<String> biasKeys(Layer layer) {
    return List.of();
  }

  @Override
  public boolean isWeightParam(Layer layer, String key) {
    return false;
  }

  @Override
  public boolean isBiasParam(Layer layer, String key) {
    return false;
  }

  @Override
  public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
    INDArray s = paramsView.reshape('c', 1, 1);
    if (initializeParams) {
      s.assign(((LsqActivation) conf.getLayer()).getInitStep());
    }
    conf.addVariable(LsqActivation.STEP_KEY);
    Map<String, INDArray> table = new LinkedHashMap<>();
    table.put(LsqActivation.STEP_KEY, s);
    return table;
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
    Map<String, INDArray> table = new LinkedHashMap<>();
    table.put(LsqActivation.STEP_KEY, gradientView.reshape('c', 1, 1));
    return table;
  }
}
