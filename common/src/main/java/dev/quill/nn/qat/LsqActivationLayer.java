package dev.quill.nn.qat;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime layer of {@link LsqActivation}: forward {@link LsqOps#forward}, backward {@link LsqOps#backward}
 * with the straight-through estimator and, when configured, LSQ's gradient scale {@code 1/sqrt(N Q_P)} with
 * N = the number of features per example. A step size that training drove to zero or below is used as 1e-8.
 */
public final class LsqActivationLayer extends BaseLayer<LsqActivation> {
  private static final long serialVersionUID = 1L;

  /** Created by {@link LsqActivation#instantiate}. */
  public LsqActivationLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private double step() {
    return Math.max(getParam(LsqActivation.STEP_KEY).getDouble(0), 1e-8);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    LsqActivation c = layerConf();
    INDArray q = LsqOps.forward(input, step(), c.getBits(), c.isSigned());
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
    return out.assign(q);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    LsqActivation c = layerConf();
    double scale = c.isGradScale() ? LsqOps.gradScale(input.length() / input.size(0), c.getBits(), c.isSigned()) : 1.0;
    LsqOps.Grad g = LsqOps.backward(input, step(), epsilon, c.getBits(), c.isSigned(), scale);
    INDArray view = gradientViews.get(LsqActivation.STEP_KEY);
    view.assign(g.ds());
    Gradient gradient = new DefaultGradient();
    gradient.gradientForVariable().put(LsqActivation.STEP_KEY, view);
    INDArray dv = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
    return new Pair<>(gradient, dv.assign(g.dv()));
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public boolean hasBias() {
    return false;
  }
}
