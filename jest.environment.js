// Jest runs each test file in its own V8 context, whose Float32Array is not the one native addons were
// built against: onnxruntime-node then refuses tensors made in a test ("A float32 tensor's data must be type
// of Float32Array"). This environment hands the test context the host's typed arrays, so a model served in a
// test behaves as it does in a service.
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = [
  'ArrayBuffer',
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Uint16Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
];

class HostTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
  }
}

module.exports = HostTypedArraysEnvironment;
