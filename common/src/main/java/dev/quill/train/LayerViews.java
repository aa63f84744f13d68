package dev.quill.train;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Per-layer views a fused step works on: each layer's {@code nIn}/{@code nOut}, its parameter views
 * ("W", "b") in the network, and views of one flat gradient array laid out like the network's parameters.
 * The first {@code convLayers} layers are convolutions (DL4J's 4-D kernel view and its bias view); the
 * others are dense, with the bias gradient viewed as a {@code [1, nOut]} row.
 */
final class LayerViews {
  final long[] nIn;
  final long[] nOut;
  final INDArray[] weights;
  final INDArray[] biases;
  /** Flat gradient, same shape and layout as {@code network.params()}. */
  final INDArray gradient;
  final INDArray[] weightGrads;
  final INDArray[] biasGrads;

  LayerViews(MultiLayerNetwork network, int convLayers) {
    int numLayers = network.getnLayers();
    nIn = new long[numLayers];
    nOut = new long[numLayers];
    weights = new INDArray[numLayers];
    biases = new INDArray[numLayers];
    weightGrads = new INDArray[numLayers];
    biasGrads = new INDArray[numLayers];
    gradient = Nd4j.create(DataType.FLOAT, network.params().shape(), 'c');
    INDArray gradientRow = gradient.reshape(1, network.numParams());
    long offset = 0;
    for (int i = 0; i < numLayers; i++) {
      Layer layer = network.getLayer(i);
      FeedForwardLayer conf = (FeedForwardLayer) layer.conf().getLayer();
      nIn[i] = conf.getNIn();
      nOut[i] = conf.getNOut();
      weights[i] = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
      biases[i] = layer.getParam(DefaultParamInitializer.BIAS_KEY);
      long n = layer.numParams();
      INDArray slice = gradientRow.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(offset, offset + n));
      boolean conv = i < convLayers;
      Map<String, INDArray> views = conv
          ? ConvolutionParamInitializer.getInstance().getGradientsFromFlattened(layer.conf(), slice)
          : DefaultParamInitializer.getInstance().getGradientsFromFlattened(layer.conf(), slice);
      weightGrads[i] = views.get(DefaultParamInitializer.WEIGHT_KEY);
      biasGrads[i] = conv ? views.get(DefaultParamInitializer.BIAS_KEY)
          : views.get(DefaultParamInitializer.BIAS_KEY).reshape(1, nOut[i]);
      offset += n;
    }
  }
}
