package io.keshikaran.djl;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small image model with a family's input and output signature, whose output is a known function
 * of its input: the mean of each colour channel, times a 3 x K matrix, plus a bias, then optionally
 * a softmax or a sigmoid. Written with ONNX's protobuf classes (the ones keshikaran-converter uses).
 */
public final class TinyOnnxModel {
    /** What follows the linear layer. */
    public enum Head { LOGITS, SOFTMAX, SIGMOID }

    final String inputName;
    final long[] inputShape;
    final float[][] weights;
    final float[] bias;
    final Head head;

    /**
     * @param inputShape the input's shape with -1 for the batch, NHWC or NCHW (the channel axis is the one of size 3)
     * @param weights    3 x K
     */
    public TinyOnnxModel(String inputName, long[] inputShape, float[][] weights, float[] bias, Head head) {
        this.inputName = inputName;
        this.inputShape = inputShape;
        this.weights = weights;
        this.bias = bias;
        this.head = head;
    }

    boolean channelsLast() {
        return inputShape[3] == 3;
    }

    /** The output this model gives for per-channel input means {@code m} (in the input's channel order). */
    public double[] expected(double[] m) {
        int k = bias.length;
        double[] z = new double[k];
        for (int j = 0; j < k; j++) {
            z[j] = bias[j];
            for (int c = 0; c < 3; c++) {
                z[j] += m[c] * weights[c][j];
            }
        }
        switch (head) {
            case SIGMOID -> {
                for (int j = 0; j < k; j++) {
                    z[j] = 1 / (1 + Math.exp(-z[j]));
                }
            }
            case SOFTMAX -> z = softmax(z);
            case LOGITS -> {
            }
        }
        return z;
    }

    public static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    /** Writes the model as ONNX (opset 13) and returns {@code file}. */
    public Path write(Path file) throws IOException {
        int k = bias.length;
        float[] w = new float[3 * k];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(weights[c], 0, w, c * k, k);
        }
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny")
                .addInput(valueInfo(inputName, inputShape))
                .addOutput(valueInfo("output", new long[] {-1, k}))
                .addInitializer(floats("W", w, 3, k))
                .addInitializer(floats("B", bias, k));
        long[] axes = channelsLast() ? new long[] {1, 2} : new long[] {2, 3};
        g.addNode(node("ReduceMean", "means", inputName).addAttribute(AttributeProto.newBuilder().setName("axes")
                .setType(AttributeProto.AttributeType.INTS).addInts(axes[0]).addInts(axes[1]))
                .addAttribute(AttributeProto.newBuilder().setName("keepdims").setType(AttributeProto.AttributeType.INT).setI(0)));
        g.addNode(node("MatMul", "mixed", "means", "W"));
        String last = head == Head.LOGITS ? "output" : "logits";
        g.addNode(node("Add", last, "mixed", "B"));
        if (head == Head.SOFTMAX) {
            g.addNode(node("Softmax", "output", "logits").addAttribute(AttributeProto.newBuilder().setName("axis")
                    .setType(AttributeProto.AttributeType.INT).setI(1)));
        } else if (head == Head.SIGMOID) {
            g.addNode(node("Sigmoid", "output", "logits"));
        }
        ModelProto model = ModelProto.newBuilder().setIrVersion(7).setProducerName("keshikaran-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(g).build();
        Files.write(file, model.toByteArray());
        return file;
    }

    private static NodeProto.Builder node(String op, String output, String... inputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
        for (String in : inputs) {
            n.addInput(in);
        }
        return n;
    }

    private static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static ValueInfoProto valueInfo(String name, long[] dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            if (d < 0) {
                shape.addDimBuilder().setDimParam("N");
            } else {
                shape.addDimBuilder().setDimValue(d);
            }
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }
}
