export {
  INPUT_NAME,
  ModelRuntimeError,
  ModelRuntimeErrorCode,
  OnnxClassifier,
  OUTPUT_NAME,
  type OnnxClassifierOptions,
} from './onnx.classifier';
