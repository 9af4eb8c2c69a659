import { CodedError } from '@argus/contracts';
import { InferenceSession, Tensor } from 'onnxruntime-node';

export const ModelRuntimeErrorCode = {
  /** The bytes are not an ONNX model onnxruntime can load. */
  LOAD_FAILED: 'LOAD_FAILED',
  /** The model's inputs or outputs are not the trainer's contract (`features` → `probabilities`). */
  CONTRACT_MISMATCH: 'CONTRACT_MISMATCH',
  /** onnxruntime failed while running a batch. */
  RUN_FAILED: 'RUN_FAILED',
} as const;
export type ModelRuntimeErrorCode = (typeof ModelRuntimeErrorCode)[keyof typeof ModelRuntimeErrorCode];

export class ModelRuntimeError extends CodedError<ModelRuntimeErrorCode> {
  override readonly name = 'ModelRuntimeError';
}

/** The trainer's ONNX contract: one float32 input [N, F], class probabilities [N, 2] out. */
export const INPUT_NAME = 'features';
export const OUTPUT_NAME = 'probabilities';

export interface OnnxClassifierOptions {
  /** Threads per inference (default 1: on a 2-core machine the services share the cores; batches give throughput). */
  readonly intraOpThreads?: number;
}

/**
 * A binary classifier exported by the trainer, served by onnxruntime-node (the one adapter to it). `predict`
 * returns the fraud probability (class 1) of each row of a row-major float32 matrix.
 */
export class OnnxClassifier {
  private constructor(
    private readonly session: InferenceSession,
    readonly description: string,
  ) {}

  static async load(
    bytes: Uint8Array,
    description: string,
    options: OnnxClassifierOptions = {},
  ): Promise<OnnxClassifier> {
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(bytes, {
        intraOpNumThreads: options.intraOpThreads ?? 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
    } catch (error) {
      throw new ModelRuntimeError(
        ModelRuntimeErrorCode.LOAD_FAILED,
        `${description}: onnxruntime cannot load the model: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (!session.inputNames.includes(INPUT_NAME) || !session.outputNames.includes(OUTPUT_NAME)) {
      await session.release();
      throw new ModelRuntimeError(
        ModelRuntimeErrorCode.CONTRACT_MISMATCH,
        `${description}: expected input '${INPUT_NAME}' and output '${OUTPUT_NAME}', the model has inputs ` +
          `[${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]`,
      );
    }
    return new OnnxClassifier(session, description);
  }

  async predict(rows: Float32Array, count: number, width: number): Promise<Float32Array> {
    if (rows.length !== count * width) {
      throw new ModelRuntimeError(
        ModelRuntimeErrorCode.RUN_FAILED,
        `${this.description}: ${rows.length} values are not ${count} rows × ${width} features`,
      );
    }
    let output: Tensor;
    try {
      const results = await this.session.run({ [INPUT_NAME]: new Tensor('float32', rows, [count, width]) }, [
        OUTPUT_NAME,
      ]);
      output = results[OUTPUT_NAME]!;
    } catch (error) {
      throw new ModelRuntimeError(
        ModelRuntimeErrorCode.RUN_FAILED,
        `${this.description}: inference failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const data = output.data as Float32Array;
    const classes = output.dims[1] ?? 1;
    const fraud = new Float32Array(count);
    for (let i = 0; i < count; i += 1) fraud[i] = data[i * classes + classes - 1]!;
    return fraud;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
