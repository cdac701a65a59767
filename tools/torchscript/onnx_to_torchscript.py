#!/usr/bin/python3
"""Writes a TorchScript twin (model.pt) of each bundled ONNX model, for DJL's PyTorch engine.

    /usr/bin/python3 tools/torchscript/onnx_to_torchscript.py                  # every model in models.txt
    /usr/bin/python3 tools/torchscript/onnx_to_torchscript.py mobilenet_v2     # only these
    /usr/bin/python3 tools/torchscript/onnx_to_torchscript.py --models-dir DIR # another tree (regenerate --check)

Needs Debian's python3-torch (1.13) and python3-onnx; nothing else, no network. The files it saves load in
the libtorch 2.7.1 that DJL 0.36.0 uses (TorchScript files are forward compatible).

For every name in <models-dir>/models.txt that has <name>/model.onnx, it:
  1. reads the ONNX graph and turns each node into one line of TorchScript (an equivalent torch module, not a
     generic ONNX interpreter): the op set keshikaran-converter emits plus the common ones a converted TF graph
     uses. An operator or attribute it does not know stops the conversion with its name.
  2. keeps the converter's uint8 weight storage ("lazy-lut", the default when the ONNX file has it): each big
     weight is stored as its uint8 values plus the 256-entry float32 table, exactly as in model.onnx, and is
     rebuilt once, on the first forward call, then cached in the module. The rebuilt weights are bit-identical
     to the ONNX ones. `--weights float32` stores plain float32 weights instead (4x larger files).
  3. scripts the module (torch.jit.script: any batch size) and saves <name>/model.pt deterministically
     (the same ONNX file and torch version give the same bytes);
  4. checks it: the output has one row per image for batches of 1 and 4, rows agree between the two, and
     softmax outputs sum to 1. Agreement with ONNX Runtime and with nsfwjs is checked in Java
     (keshikaran-djl EngineParityTest), since onnxruntime is not packaged for Debian;
  5. records the file in <name>/keshikaran-model.json: files.torchscript and provenance.outputs["model.pt"]
     (its sha256), plus provenance.torchscript (this script and the torch version).

The cache is filled by the first call: keshikaran makes that call itself, single-threaded, while it loads the
model (it checks the model's shapes), so the module is only read afterwards. Other users of the .pt file
should also make one call before sharing the module between threads.
"""

import argparse
import hashlib
import importlib.util
import json
import math
import os
import shutil
import sys
import tempfile

import numpy as np
import onnx
import torch
from onnx import numpy_helper

TOOL = "tools/torchscript/onnx_to_torchscript.py"
# A fixed path for the generated source: TorchScript records the source file name in the saved debug info,
# so a random temp name would make two runs differ.
GEN_DIR = "/tmp/keshikaran-torchscript-gen"


class ConversionError(Exception):
    pass


def fail(model, node, message):
    where = f"{model}: node '{node.name or node.output[0]}' ({node.op_type})" if node is not None else model
    raise ConversionError(f"{where}: {message}")


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def check_attrs(model, node, allowed):
    for name in attrs(node):
        if name not in allowed:
            fail(model, node, f"unsupported attribute '{name}'")


class Graph:
    """The ONNX graph with constant folding, and the generated TorchScript lines."""

    def __init__(self, name, model, weights_mode):
        self.name = name
        self.model = model
        self.graph = model.graph
        self.weights_mode = weights_mode
        self.const = {i.name: numpy_helper.to_array(i) for i in self.graph.initializer}
        # LUT weights: tensor name -> (uint8 values, float32 table); rebuilt lazily in the module.
        self.lut = {}
        # Gather output -> the uint8 initializer its Cast reads.
        self.lut_pending = {}
        self.var = {}
        self.lines = []
        # Tensors the module holds: ("q", uint8, table) for LUT weights, ("f", float32) otherwise.
        self.held = []
        self.held_index = {}

    # ---- values -------------------------------------------------------------------------------------------

    def new_var(self, onnx_name):
        v = f"v{len(self.var)}"
        self.var[onnx_name] = v
        return v

    def is_const(self, name):
        return name in self.const or name in self.lut

    def tensor(self, name):
        """A TorchScript expression for an ONNX tensor: a variable or a held constant."""
        if name in self.var:
            return self.var[name]
        if name in self.lut:
            return f"w[{self.hold(name)}]"
        if name in self.const:
            return f"w[{self.hold(name)}]"
        raise ConversionError(f"{self.name}: tensor '{name}' is used before it is computed")

    def hold(self, name, transform=None):
        key = (name, transform)
        if key in self.held_index:
            return self.held_index[key]
        if name in self.lut:
            q, table = self.lut[name]
            if transform == "T":
                q = np.ascontiguousarray(q.T)
            self.held.append(("q", q, table))
        else:
            value = self.const[name]
            if transform == "T":
                value = np.ascontiguousarray(value.T)
            self.held.append(("f", np.asarray(value, dtype=np.float32)))
        self.held_index[key] = len(self.held) - 1
        return self.held_index[key]

    def scalar(self, name, node):
        if name not in self.const:
            fail(self.name, node, f"input '{name}' must be a constant")
        value = self.const[name]
        if value.size != 1:
            fail(self.name, node, f"input '{name}' must be a scalar, got shape {list(value.shape)}")
        return float(value.reshape(-1)[0])

    def ints(self, name, node):
        if name not in self.const:
            fail(self.name, node, f"input '{name}' must be a constant")
        return [int(v) for v in self.const[name].reshape(-1)]

    def emit(self, node, expr):
        out = self.new_var(node.output[0])
        self.lines.append(f"{out} = {expr}")

    # ---- conversion ---------------------------------------------------------------------------------------

    def convert(self):
        g = self.graph
        inputs = [i for i in g.input if i.name not in self.const]
        if len(inputs) != 1 or len(g.output) < 1:
            raise ConversionError(f"{self.name}: expected one graph input and an output, got "
                                  f"{[i.name for i in inputs]} -> {[o.name for o in g.output]}")
        self.input = inputs[0]
        self.var[self.input.name] = "x"
        consumers = {}
        for node in g.node:
            for i in node.input:
                consumers.setdefault(i, []).append(node)
        for node in g.node:
            self.node(node, consumers)
        self.output = g.output[0].name
        if self.output not in self.var:
            raise ConversionError(f"{self.name}: the graph output '{self.output}' is a constant")

    def fold(self, node, fn):
        self.const[node.output[0]] = fn(*[self.const[i] for i in node.input if i])

    def node(self, node, consumers):
        op = node.op_type
        a = attrs(node)
        name = self.name
        if node.domain not in ("", "ai.onnx"):
            fail(name, node, f"operator domain '{node.domain}' is not supported")
        # Weight storage: Cast(uint8 -> int32) -> Gather(table, index) becomes one lazily rebuilt weight.
        if op == "Cast" and node.input[0] in self.const and self.const[node.input[0]].dtype == np.uint8:
            users = consumers.get(node.output[0], [])
            if (self.weights_mode == "lazy-lut" and len(users) == 1 and users[0].op_type == "Gather"
                    and users[0].input[1] == node.output[0] and users[0].input[0] in self.const
                    and attrs(users[0]).get("axis", 0) == 0 and self.const[users[0].input[0]].shape == (256,)):
                self.lut_pending[users[0].output[0]] = node.input[0]
                return
        if op == "Gather" and node.output[0] in self.lut_pending:
            table = self.const[node.input[0]].astype(np.float32)
            self.lut[node.output[0]] = (self.const[self.lut_pending[node.output[0]]], table)
            return
        # Anything computed from constants only is folded now, in numpy (e.g. the float32 weight form).
        if node.input and all((not i) or i in self.const for i in node.input) and op in FOLDABLE:
            try:
                self.fold(node, FOLDABLE[op](node, a))
            except ConversionError:
                raise
            except Exception as e:  # noqa: BLE001 - report which node failed
                fail(name, node, f"cannot fold constant: {e}")
            return
        if any(i in self.lut for i in node.input) and op not in ("Conv", "Gemm", "MatMul", "BatchNormalization",
                                                                 "Add", "Mul", "Sub", "Div"):
            fail(name, node, "a quantized weight feeds an operator that is not a layer")
        handler = OPS.get(op)
        if handler is None:
            fail(name, node, f"operator {op} is not supported by {TOOL}; supported: {', '.join(sorted(OPS))}")
        handler(self, node, a)


def _pool_args(g, node, a, kind):
    check_attrs(g.name, node, {"kernel_shape", "strides", "pads", "auto_pad", "ceil_mode", "dilations",
                               "count_include_pad", "storage_order"})
    if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        fail(g.name, node, "auto_pad is not supported; use explicit pads")
    if a.get("ceil_mode", 0) != 0:
        fail(g.name, node, "ceil_mode=1 is not supported")
    if any(d != 1 for d in a.get("dilations", [1, 1])):
        fail(g.name, node, "dilated pooling is not supported")
    k = list(a["kernel_shape"])
    if len(k) != 2:
        fail(g.name, node, f"only 2-d pooling is supported, got kernel {k}")
    s = list(a.get("strides", [1, 1]))
    p = list(a.get("pads", [0, 0, 0, 0]))
    return k, s, p


def op_transpose(g, node, a):
    check_attrs(g.name, node, {"perm"})
    perm = list(a["perm"])
    g.emit(node, f"{g.tensor(node.input[0])}.permute({perm}).contiguous()")


def op_conv(g, node, a):
    check_attrs(g.name, node, {"kernel_shape", "strides", "pads", "dilations", "group", "auto_pad"})
    if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        fail(g.name, node, "auto_pad is not supported; use explicit pads")
    if not g.is_const(node.input[1]) or (len(node.input) > 2 and node.input[2] and not g.is_const(node.input[2])):
        fail(g.name, node, "Conv weights and bias must be constants")
    s = list(a.get("strides", [1, 1]))
    d = list(a.get("dilations", [1, 1]))
    p = list(a.get("pads", [0, 0, 0, 0]))
    if len(p) != 4:
        fail(g.name, node, f"only 2-d convolutions are supported, got pads {p}")
    x = g.tensor(node.input[0])
    top, left, bottom, right = p
    if top == bottom and left == right:
        padding = [top, left]
    else:
        x = f"F.pad({x}, [{left}, {right}, {top}, {bottom}])"
        padding = [0, 0]
    bias = g.tensor(node.input[2]) if len(node.input) > 2 and node.input[2] else "None"
    g.emit(node, f"F.conv2d({x}, {g.tensor(node.input[1])}, {bias}, {s}, {padding}, {d}, {a.get('group', 1)})")


def op_batchnorm(g, node, a):
    check_attrs(g.name, node, {"epsilon", "momentum", "spatial"})
    if len(node.output) > 1 and any(node.output[1:]):
        fail(g.name, node, "training-mode BatchNormalization is not supported")
    x, scale, bias, mean, var = (g.tensor(i) for i in node.input)
    eps = float(np.float32(a.get("epsilon", 1e-5)))
    g.emit(node, f"F.batch_norm({x}, {mean}, {var}, {scale}, {bias}, False, 0.0, {eps!r})")


def op_clip(g, node, a):
    check_attrs(g.name, node, {"min", "max"})
    lo = a.get("min")
    hi = a.get("max")
    if len(node.input) > 1 and node.input[1]:
        lo = g.scalar(node.input[1], node)
    if len(node.input) > 2 and node.input[2]:
        hi = g.scalar(node.input[2], node)
    g.emit(node, f"torch.clamp({g.tensor(node.input[0])}, {lo!r}, {hi!r})")


def unary(expr):
    def handler(g, node, a):
        check_attrs(g.name, node, {"alpha"})
        g.emit(node, expr.format(x=g.tensor(node.input[0]), alpha=repr(float(a.get("alpha", 0.01)))))
    return handler


def binary(symbol):
    def handler(g, node, a):
        check_attrs(g.name, node, set())
        g.emit(node, f"{g.tensor(node.input[0])} {symbol} {g.tensor(node.input[1])}")
    return handler


def op_concat(g, node, a):
    check_attrs(g.name, node, {"axis"})
    g.emit(node, f"torch.cat([{', '.join(g.tensor(i) for i in node.input)}], {a['axis']})")


def op_maxpool(g, node, a):
    k, s, p = _pool_args(g, node, a, "max")
    if len(node.output) > 1 and any(node.output[1:]):
        fail(g.name, node, "MaxPool indices output is not supported")
    x = g.tensor(node.input[0])
    top, left, bottom, right = p
    if any(p):
        # ONNX ignores padded cells in a max; -inf padding does the same.
        x = f"F.pad({x}, [{left}, {right}, {top}, {bottom}], 'constant', float('-inf'))"
    g.emit(node, f"F.max_pool2d({x}, {k}, {s})")


def op_avgpool(g, node, a):
    k, s, p = _pool_args(g, node, a, "avg")
    x = g.tensor(node.input[0])
    top, left, bottom, right = p
    include = bool(a.get("count_include_pad", 0))
    if not any(p):
        g.emit(node, f"F.avg_pool2d({x}, {k}, {s})")
    elif top == bottom and left == right and 2 * top <= k[0] and 2 * left <= k[1]:
        g.emit(node, f"F.avg_pool2d({x}, {k}, {s}, [{top}, {left}], False, {include})")
    elif include:
        g.emit(node, f"F.avg_pool2d(F.pad({x}, [{left}, {right}, {top}, {bottom}]), {k}, {s})")
    else:
        # Asymmetric 'same' padding that excludes the padding from the divisor: sum / number of real cells.
        ones = f"torch.ones_like({x}[:1, :1])"
        count = f"F.avg_pool2d(F.pad({ones}, [{left}, {right}, {top}, {bottom}]), {k}, {s})"
        g.emit(node, f"F.avg_pool2d(F.pad({x}, [{left}, {right}, {top}, {bottom}]), {k}, {s}) / {count}")


def op_global_avgpool(g, node, a):
    check_attrs(g.name, node, set())
    g.emit(node, f"torch.mean({g.tensor(node.input[0])}, [2, 3], True)")


def op_reduce_mean(g, node, a):
    check_attrs(g.name, node, {"axes", "keepdims"})
    if "axes" not in a:
        fail(g.name, node, "ReduceMean over all axes is not supported")
    g.emit(node, f"torch.mean({g.tensor(node.input[0])}, {list(a['axes'])}, {bool(a.get('keepdims', 1))})")


def op_pad(g, node, a):
    check_attrs(g.name, node, {"mode", "pads", "value"})
    mode = a.get("mode", b"constant")
    mode = mode.decode() if isinstance(mode, bytes) else mode
    if mode != "constant":
        fail(g.name, node, f"Pad mode '{mode}' is not supported")
    pads = g.ints(node.input[1], node) if len(node.input) > 1 else list(a["pads"])
    value = g.scalar(node.input[2], node) if len(node.input) > 2 and node.input[2] else float(a.get("value", 0.0))
    rank = len(pads) // 2
    torch_pads = []
    for axis in reversed(range(rank)):
        torch_pads += [pads[axis], pads[axis + rank]]
    while torch_pads and torch_pads[-1] == 0 and torch_pads[-2] == 0:
        torch_pads = torch_pads[:-2]
    g.emit(node, f"F.pad({g.tensor(node.input[0])}, {torch_pads}, 'constant', {value!r})")


def op_flatten(g, node, a):
    check_attrs(g.name, node, {"axis"})
    axis = a.get("axis", 1)
    if axis != 1:
        fail(g.name, node, f"Flatten axis {axis} is not supported (only 1)")
    g.emit(node, f"torch.flatten({g.tensor(node.input[0])}, 1)")


def op_reshape(g, node, a):
    check_attrs(g.name, node, {"allowzero"})
    shape = g.ints(node.input[1], node)
    x = g.tensor(node.input[0])
    dims = [f"{x}.size({i})" if s == 0 else str(s) for i, s in enumerate(shape)]
    g.emit(node, f"{x}.reshape([{', '.join(dims)}])")


def op_squeeze(g, node, a):
    check_attrs(g.name, node, {"axes"})
    axes = g.ints(node.input[1], node) if len(node.input) > 1 else list(a.get("axes", []))
    if not axes:
        fail(g.name, node, "Squeeze without axes is not supported")
    expr = g.tensor(node.input[0])
    for axis in sorted(axes, reverse=True):
        expr = f"torch.squeeze({expr}, {axis})"
    g.emit(node, expr)


def op_unsqueeze(g, node, a):
    check_attrs(g.name, node, {"axes"})
    axes = g.ints(node.input[1], node) if len(node.input) > 1 else list(a["axes"])
    expr = g.tensor(node.input[0])
    for axis in sorted(axes):
        expr = f"torch.unsqueeze({expr}, {axis})"
    g.emit(node, expr)


def op_gemm(g, node, a):
    check_attrs(g.name, node, {"alpha", "beta", "transA", "transB"})
    if a.get("alpha", 1.0) != 1.0 or a.get("beta", 1.0) != 1.0 or a.get("transA", 0):
        fail(g.name, node, "only Gemm with alpha=1, beta=1, transA=0 is supported")
    weight = node.input[1]
    if not g.is_const(weight):
        fail(g.name, node, "Gemm weights must be constant")
    # F.linear wants [out, in]: hold the transposed weight when the graph stores [in, out].
    index = g.hold(weight, None if a.get("transB", 0) else "T")
    bias = g.tensor(node.input[2]) if len(node.input) > 2 and node.input[2] else "None"
    g.emit(node, f"F.linear({g.tensor(node.input[0])}, w[{index}], {bias})")


def op_matmul(g, node, a):
    check_attrs(g.name, node, set())
    g.emit(node, f"torch.matmul({g.tensor(node.input[0])}, {g.tensor(node.input[1])})")


def op_softmax(g, node, a):
    check_attrs(g.name, node, {"axis"})
    g.emit(node, f"torch.softmax({g.tensor(node.input[0])}, {a.get('axis', -1)})")


def op_identity(g, node, a):
    if node.op_type == "Dropout" and len(node.output) > 1 and any(node.output[1:]):
        fail(g.name, node, "Dropout mask output is not supported")
    if node.op_type == "Cast" and a.get("to") != onnx.TensorProto.FLOAT:
        fail(g.name, node, f"Cast to type {a.get('to')} is not supported (only float)")
    g.var[node.output[0]] = g.tensor(node.input[0])


OPS = {
    "Transpose": op_transpose,
    "Conv": op_conv,
    "BatchNormalization": op_batchnorm,
    "Clip": op_clip,
    "Relu": unary("F.relu({x})"),
    "Sigmoid": unary("torch.sigmoid({x})"),
    "Tanh": unary("torch.tanh({x})"),
    "LeakyRelu": unary("F.leaky_relu({x}, {alpha})"),
    "Add": binary("+"),
    "Sub": binary("-"),
    "Mul": binary("*"),
    "Div": binary("/"),
    "Concat": op_concat,
    "MaxPool": op_maxpool,
    "AveragePool": op_avgpool,
    "GlobalAveragePool": op_global_avgpool,
    "ReduceMean": op_reduce_mean,
    "Pad": op_pad,
    "Flatten": op_flatten,
    "Reshape": op_reshape,
    "Squeeze": op_squeeze,
    "Unsqueeze": op_unsqueeze,
    "Gemm": op_gemm,
    "MatMul": op_matmul,
    "Softmax": op_softmax,
    "Identity": op_identity,
    "Dropout": op_identity,
    "Cast": op_identity,
}

FOLDABLE = {
    "Cast": lambda n, a: (lambda x: x.astype(onnx.helper.tensor_dtype_to_np_dtype(a["to"]))
                          if hasattr(onnx.helper, "tensor_dtype_to_np_dtype")
                          else x.astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[a["to"]])),
    "Gather": lambda n, a: (lambda data, idx: np.take(data, idx.astype(np.int64), axis=a.get("axis", 0))),
    "Mul": lambda n, a: (lambda x, y: x * y),
    "Add": lambda n, a: (lambda x, y: x + y),
    "Sub": lambda n, a: (lambda x, y: x - y),
    "Div": lambda n, a: (lambda x, y: x / y),
    "Transpose": lambda n, a: (lambda x: np.transpose(x, a.get("perm"))),
    "Reshape": lambda n, a: (lambda x, s: x.reshape([x.shape[i] if v == 0 else v for i, v in enumerate(s)])),
    "Identity": lambda n, a: (lambda x: x),
}


def module_source(g, height, width, layout):
    """The Python source of the module; lines are straight-line TorchScript."""
    if layout == "NHWC":
        check = f"x.size(1) != {height} or x.size(2) != {width} or x.size(3) != 3"
        expected = f"[N, {height}, {width}, 3]"
    else:
        check = f"x.size(1) != 3 or x.size(2) != {height} or x.size(3) != {width}"
        expected = f"[N, 3, {height}, {width}]"
    body = "\n".join("        " + line for line in g.lines)
    return f'''# Generated by {TOOL} from {g.name}/model.onnx. Do not edit.
from typing import List

import torch
import torch.nn.functional as F


class KeshikaranModel(torch.nn.Module):
    quantized: List[torch.Tensor]
    tables: List[torch.Tensor]
    kinds: List[int]
    floats: List[torch.Tensor]
    cache: List[torch.Tensor]

    def __init__(self, quantized: List[torch.Tensor], tables: List[torch.Tensor], kinds: List[int],
                 floats: List[torch.Tensor]):
        super().__init__()
        self.quantized = quantized
        self.tables = tables
        self.kinds = kinds
        self.floats = floats
        self.cache = []

    def weights(self) -> List[torch.Tensor]:
        cached = self.cache
        if len(cached) > 0:
            return cached
        # First call: rebuild the uint8 weights through their float32 tables (exactly the ONNX values).
        w: List[torch.Tensor] = []
        qi = 0
        fi = 0
        for kind in self.kinds:
            if kind == 0:
                q = self.quantized[qi]
                w.append(torch.index_select(self.tables[qi], 0, q.reshape(-1).long()).reshape(q.shape))
                qi += 1
            else:
                w.append(self.floats[fi])
                fi += 1
        self.cache = w
        return w

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 4 or {check}:
            raise ValueError("keshikaran model {g.name} expects a float input {expected}, got " + str(x.shape))
        w = self.weights()
{body}
        return {g.tensor(g.output)}
'''


def build_module(g, height, width, layout, gen_path):
    source = module_source(g, height, width, layout)
    os.makedirs(os.path.dirname(gen_path), exist_ok=True)
    with open(gen_path, "w") as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location("keshikaran_" + g.name, gen_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    quantized, tables, kinds, floats = [], [], [], []
    for held in g.held:
        if held[0] == "q":
            kinds.append(0)
            quantized.append(torch.from_numpy(np.array(held[1], copy=True, order="C")))
            tables.append(torch.from_numpy(np.array(held[2], copy=True, order="C")))
        else:
            kinds.append(1)
            floats.append(torch.from_numpy(np.array(held[1], copy=True, order="C")))
    return module.KeshikaranModel(quantized, tables, kinds, floats)


def input_hw(name, graph_input):
    dims = [d.dim_value if d.HasField("dim_value") else -1 for d in graph_input.type.tensor_type.shape.dim]
    if len(dims) != 4:
        raise ConversionError(f"{name}: expected a 4-d image input, got {dims}")
    if dims[3] == 3:
        return dims[1], dims[2], "NHWC"
    if dims[1] == 3:
        return dims[2], dims[3], "NCHW"
    raise ConversionError(f"{name}: cannot tell the layout of input shape {dims}")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def jackson(value, indent=0):
    """JSON in the style keshikaran-converter writes (Jackson's default pretty printer), so that a
    descriptor read and written back without changes keeps its bytes."""
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{ }"
        items = [f'{pad}  {json.dumps(k, ensure_ascii=False)}: {jackson(v, indent + 1)}' for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[ ]"
        return "[ " + ", ".join(jackson(v, indent) for v in value) + " ]"
    return json.dumps(value, ensure_ascii=False)


def update_descriptor(path, pt_sha, weights_mode):
    with open(path, encoding="utf-8") as f:
        descriptor = json.load(f)
    files = descriptor.setdefault("files", {})
    files["torchscript"] = "model.pt"
    provenance = descriptor.setdefault("provenance", {})
    provenance.setdefault("outputs", {})["model.pt"] = pt_sha
    provenance["torchscript"] = {
        "generatedBy": TOOL,
        "from": "model.onnx",
        "torch": torch.__version__,
        "weights": weights_mode,
    }
    with open(path, "w", encoding="utf-8") as f:
        f.write(jackson(descriptor) + "\n")


def verify(name, module, height, width, layout, labels):
    torch.manual_seed(0)
    shape = (4, height, width, 3) if layout == "NHWC" else (4, 3, height, width)
    batch = torch.rand(shape)
    with torch.no_grad():
        four = module(batch)
        one = module(batch[1:2])
    if tuple(four.shape) != (4, labels) or tuple(one.shape) != (1, labels):
        raise ConversionError(f"{name}: output shapes {tuple(one.shape)} / {tuple(four.shape)}, expected [N, {labels}]")
    diff = (four[1:2] - one).abs().max().item()
    if diff > 1e-5:
        raise ConversionError(f"{name}: batch of 4 and batch of 1 differ by {diff}")
    sums = four.sum(dim=1)
    return diff, sums


def convert(models_dir, name, weights_mode, quiet=False):
    model_dir = os.path.join(models_dir, name)
    onnx_path = os.path.join(model_dir, "model.onnx")
    descriptor_path = os.path.join(model_dir, "keshikaran-model.json")
    model = onnx.load(onnx_path)
    g = Graph(name, model, weights_mode)
    g.convert()
    height, width, layout = input_hw(name, g.input)
    module = build_module(g, height, width, layout, os.path.join(GEN_DIR, f"keshikaran_{name}.py"))
    scripted = torch.jit.script(module)
    with open(descriptor_path, encoding="utf-8") as f:
        labels = len(json.load(f)["output"]["labels"])

    # Save under a fixed file name (it becomes the archive's folder name), then move into place.
    tmp = tempfile.mkdtemp(prefix="keshikaran-pt-")
    try:
        tmp_pt = os.path.join(tmp, "model.pt")
        torch.jit.save(scripted, tmp_pt)
        loaded = torch.jit.load(tmp_pt)
        diff, sums = verify(name, loaded, height, width, layout, labels)
        # The saved module has not been called before saving, so its weight cache is saved empty.
        shutil.move(tmp_pt, os.path.join(model_dir, "model.pt"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    pt_path = os.path.join(model_dir, "model.pt")
    pt_sha = sha256(pt_path)
    update_descriptor(descriptor_path, pt_sha, weights_mode)
    if not quiet:
        print(f"{name}: {pt_path} ({os.path.getsize(pt_path):,} bytes, sha256 {pt_sha}); "
              f"{len(g.lines)} ops, {sum(1 for h in g.held if h[0] == 'q')} uint8 + "
              f"{sum(1 for h in g.held if h[0] == 'f')} float32 tensors; batch 1 vs 4 max diff {diff:.2e}; "
              f"row sums {[round(float(s), 6) for s in sums]}")
    return pt_path, pt_sha


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    default_models = os.path.normpath(os.path.join(
        here, "..", "..", "keshikaran-models", "src", "main", "resources", "io", "keshikaran", "models"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models-dir", default=default_models,
                        help="folder with models.txt and one sub-folder per model (default: the bundled models)")
    parser.add_argument("--weights", choices=["lazy-lut", "float32"], default="lazy-lut",
                        help="weight storage in model.pt (default lazy-lut; float32 is 4x larger)")
    parser.add_argument("models", nargs="*", help="model names (default: every model in models.txt with a model.onnx)")
    args = parser.parse_args(argv)

    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    with open(os.path.join(args.models_dir, "models.txt"), encoding="utf-8") as f:
        listed = f.read().split()
    names = args.models or [n for n in listed if os.path.isfile(os.path.join(args.models_dir, n, "model.onnx"))]
    skipped = [n for n in listed if n not in names and not args.models]
    for n in skipped:
        print(f"{n}: no model.onnx, skipped")
    for name in names:
        if name not in listed:
            print(f"error: {name} is not listed in {args.models_dir}/models.txt", file=sys.stderr)
            return 2
    try:
        for name in names:
            convert(args.models_dir, name, args.weights)
    except ConversionError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
