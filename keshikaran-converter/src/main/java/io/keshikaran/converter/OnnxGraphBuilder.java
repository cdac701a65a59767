package io.keshikaran.converter;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Accumulates ONNX nodes and initializers and assembles the {@link ModelProto}.
 *
 * <p>Everything is kept in insertion order and no hash-ordered collection is ever iterated to produce output,
 * so the same conversion always yields the same bytes.
 */
final class OnnxGraphBuilder {

    /** ONNX opset the graph targets: every operator used has had its current semantics since at least 13. */
    static final int OPSET = 13;
    /** IR version 7 is the one that goes with opset 13. */
    static final long IR_VERSION = 7;

    private final WeightStorage storage;
    private final List<NodeProto.Builder> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    /** Shared scalar constants, keyed by their float bits; only looked up, never iterated. */
    private final Map<Integer, String> scalars = new HashMap<>();

    OnnxGraphBuilder(WeightStorage storage) {
        this.storage = storage;
    }

    /**
     * Reserves a tensor name: {@code base} itself if still free, else {@code base_1}, {@code base_2}, ...
     *
     * @param base the preferred name
     * @return the reserved name
     */
    String uniqueName(String base) {
        String name = base;
        for (int i = 1; !names.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    /**
     * Reserves an exact name (the graph's input and output names), which no other tensor may take.
     *
     * @param name the name
     * @throws IllegalStateException if it is already taken
     */
    void reserve(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("Tensor name '" + name + "' is already in use");
        }
    }

    /**
     * Adds a node whose outputs were reserved with {@link #uniqueName(String)}.
     *
     * @param opType the ONNX operator
     * @param inputs input tensor names
     * @param output the single output name
     * @param attributes attributes, in the order they should be written
     */
    void node(String opType, List<String> inputs, String output, List<AttributeProto> attributes) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(output).addOutput(output);
        inputs.forEach(node::addInput);
        attributes.forEach(node::addAttribute);
        nodes.add(node);
    }

    /** Shorthand for {@link #node(String, List, String, List)} without attributes. */
    void node(String opType, List<String> inputs, String output) {
        node(opType, inputs, output, List.of());
    }

    static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto intsAttr(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    /**
     * Adds a float32 initializer.
     *
     * @param base the preferred name
     * @param values row-major values
     * @param dims the shape
     * @return the reserved name
     */
    String floatConstant(String base, float[] values, long... dims) {
        checkCount(base, values.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return initializer(base, TensorProto.DataType.FLOAT, buf.array(), dims);
    }

    /**
     * @param value a scalar
     * @return the name of a shared rank-0 float32 initializer holding it
     */
    String floatScalar(float value) {
        return scalars.computeIfAbsent(Float.floatToIntBits(value),
                bits -> floatConstant("const_" + Float.toString(value).replace('-', 'm'), new float[] {value}));
    }

    /**
     * Adds an int64 initializer (shapes, pads, axes).
     *
     * @param base the preferred name
     * @param values the values
     * @param dims the shape
     * @return the reserved name
     */
    String int64Constant(String base, long[] values, long... dims) {
        checkCount(base, values.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        return initializer(base, TensorProto.DataType.INT64, buf.array(), dims);
    }

    private String initializer(String base, TensorProto.DataType type, byte[] raw, long... dims) {
        String name = uniqueName(base);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(raw));
        for (long d : dims) {
            t.addDims(d);
        }
        initializers.add(t.build());
        return name;
    }

    /**
     * Adds a model weight, rearranged for ONNX, in the configured {@link WeightStorage}.
     *
     * @param base the preferred tensor name (normally the tfjs weight name)
     * @param weight the weight
     * @param permutation axis permutation applied to the tfjs tensor ({@code null} for none): ONNX axis
     *     {@code i} is tfjs axis {@code permutation[i]}
     * @param onnxShape the ONNX shape, which must have as many elements as the weight (a reshape of the permuted
     *     tensor)
     * @return the name of the tensor holding the float32 weight
     */
    String weight(String base, WeightTensor weight, int[] permutation, long... onnxShape) {
        long[] shape = weight.shape();
        int n = weight.spec().elementCount();
        checkCount(base, n, onnxShape);
        int[] order = permutation == null ? null : transposeOrder(shape, permutation);
        float[] values = weight.valuesView();
        boolean quantizedForm = weight.isUint8() && switch (storage) {
            case FLOAT32 -> false;
            // The uint8 form costs n bytes + a 1 KiB table (+ n*4 bytes at run time only): smaller when n > 341.
            case UINT8_LUT -> n + 256 * 4 < n * 4;
            case UINT8_AFFINE -> n + 8 < n * 4;
        };
        if (!quantizedForm) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = values[order == null ? i : order[i]];
            }
            return floatConstant(base, out, onnxShape);
        }
        int[] q = weight.quantizedView();
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) q[order == null ? i : order[i]];
        }
        String name = uniqueName(base);
        String quantized = initializer(base + "/quantized", TensorProto.DataType.UINT8, bytes, onnxShape);
        Quantization quantization = weight.spec().quantization();
        if (storage == WeightStorage.UINT8_LUT) {
            float[] table = new float[256];
            for (int v = 0; v < 256; v++) {
                table[v] = quantization.dequantize(v);
            }
            String tableName = floatConstant(base + "/table", table, 256);
            String index = uniqueName(base + "/index");
            node("Cast", List.of(quantized), index, List.of(intAttr("to", TensorProto.DataType.INT32_VALUE)));
            node("Gather", List.of(tableName, index), name, List.of(intAttr("axis", 0)));
        } else {
            String scale = floatConstant(base + "/scale", new float[] {(float) quantization.scale()});
            String min = floatConstant(base + "/min", new float[] {(float) quantization.min()});
            String asFloat = uniqueName(base + "/float");
            node("Cast", List.of(quantized), asFloat, List.of(intAttr("to", TensorProto.DataType.FLOAT_VALUE)));
            String scaled = uniqueName(base + "/scaled");
            node("Mul", List.of(asFloat, scale), scaled);
            node("Add", List.of(scaled, min), name);
        }
        return name;
    }

    /**
     * For a transpose of a row-major tensor, the source index of each destination element.
     *
     * @param shape the source shape
     * @param permutation destination axis {@code i} is source axis {@code permutation[i]}
     * @return source flat index per destination flat index
     */
    static int[] transposeOrder(long[] shape, int[] permutation) {
        int rank = shape.length;
        if (permutation.length != rank) {
            throw new IllegalArgumentException("Permutation rank " + permutation.length + " != tensor rank " + rank);
        }
        long[] srcStrides = new long[rank];
        long stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            srcStrides[i] = stride;
            stride *= shape[i];
        }
        int n = (int) stride;
        long[] dstShape = new long[rank];
        long[] dstToSrcStride = new long[rank];
        for (int i = 0; i < rank; i++) {
            dstShape[i] = shape[permutation[i]];
            dstToSrcStride[i] = srcStrides[permutation[i]];
        }
        int[] order = new int[n];
        long[] index = new long[rank];
        long src = 0;
        for (int dst = 0; dst < n; dst++) {
            order[dst] = (int) src;
            // Odometer increment over the destination shape, tracking the source offset incrementally.
            for (int axis = rank - 1; axis >= 0; axis--) {
                index[axis]++;
                src += dstToSrcStride[axis];
                if (index[axis] < dstShape[axis]) {
                    break;
                }
                src -= dstToSrcStride[axis] * index[axis];
                index[axis] = 0;
            }
        }
        return order;
    }

    /**
     * Renames a tensor everywhere it occurs (used to give the graph output its public name).
     *
     * @param from the current name
     * @param to the new name, reserved earlier with {@link #reserve(String)} and not used by any node yet
     */
    void rename(String from, String to) {
        if (isNodeOutput(to)) {
            throw new IllegalStateException("Tensor name '" + to + "' is already produced by a node");
        }
        for (NodeProto.Builder node : nodes) {
            for (int i = 0; i < node.getInputCount(); i++) {
                if (node.getInput(i).equals(from)) {
                    node.setInput(i, to);
                }
            }
            for (int i = 0; i < node.getOutputCount(); i++) {
                if (node.getOutput(i).equals(from)) {
                    node.setOutput(i, to);
                    node.setName(to);
                }
            }
        }
    }

    /** @return whether some node produces this tensor */
    boolean isNodeOutput(String tensor) {
        for (NodeProto.Builder node : nodes) {
            if (node.getOutputList().contains(tensor)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param name the tensor name
     * @param dims the shape; negative entries become the symbolic dimension {@code symbol}
     * @param symbol the name of the symbolic dimension
     * @return a float32 value info
     */
    static ValueInfoProto floatValueInfo(String name, long[] dims, String symbol) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            if (d < 0) {
                shape.addDimBuilder().setDimParam(symbol);
            } else {
                shape.addDimBuilder().setDimValue(d);
            }
        }
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    /**
     * Assembles the model.
     *
     * @param graphName the graph's name
     * @param input the graph input
     * @param output the graph output
     * @param producerVersion the converter version
     * @param docString the model's description
     * @param metadata {@code metadata_props}, in iteration order
     * @return the model
     */
    ModelProto build(String graphName, ValueInfoProto input, ValueInfoProto output, String producerVersion,
                     String docString, Map<String, String> metadata) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName(graphName).addInput(input).addOutput(output);
        nodes.forEach(n -> graph.addNode(n.build()));
        graph.addAllInitializer(initializers);
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("keshikaran-converter")
                .setProducerVersion(producerVersion)
                .setDocString(docString)
                .setGraph(graph);
        metadata.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    private static void checkCount(String name, int count, long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != count) {
            throw new IllegalStateException("Tensor '" + name + "' has " + count + " values for shape "
                    + java.util.Arrays.toString(dims));
        }
    }
}
