/**
 * The parts of TensorFlow's `Event`, `Summary` and `TensorProto` messages (tensorflow/core/util/event.proto,
 * framework/summary.proto, framework/tensor.proto; field numbers as there) that hold scalars, decoded
 * with protobufjs. Fields left out (graphs, images, histograms) are skipped by the decoder unread.
 */
import protobuf from 'protobufjs/light.js';

// int64 steps as plain numbers: a step beyond 2^53 is not a realistic training step.
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();

const DESCRIPTOR = {
  nested: {
    tensorboard: {
      nested: {
        Event: {
          fields: {
            wallTime: { type: 'double', id: 1 },
            step: { type: 'int64', id: 2 },
            fileVersion: { type: 'string', id: 3 },
            summary: { type: 'Summary', id: 5 },
          },
        },
        Summary: { fields: { value: { rule: 'repeated', type: 'SummaryValue', id: 1 } } },
        SummaryValue: {
          fields: {
            tag: { type: 'string', id: 1 },
            // simple_value sits in a oneof in summary.proto, so TensorFlow writes it even when it is 0.
            // Explicit presence keeps such a 0 (with implicit presence protobufjs drops it as a default);
            // declaring the oneof instead would work too, but its setter deletes properties per value (slow).
            simpleValue: { type: 'float', id: 2, options: { features: { field_presence: 'EXPLICIT' } } },
            tensor: { type: 'TensorProto', id: 8 },
            metadata: { type: 'SummaryMetadata', id: 9 },
          },
        },
        SummaryMetadata: { fields: { pluginData: { type: 'PluginData', id: 1 } } },
        PluginData: { fields: { pluginName: { type: 'string', id: 1 } } },
        TensorProto: {
          fields: {
            dtype: { type: 'int32', id: 1 },
            tensorShape: { type: 'TensorShapeProto', id: 2 },
            tensorContent: { type: 'bytes', id: 4 },
            halfVal: { rule: 'repeated', type: 'int32', id: 13 },
            floatVal: { rule: 'repeated', type: 'float', id: 5 },
            doubleVal: { rule: 'repeated', type: 'double', id: 6 },
            intVal: { rule: 'repeated', type: 'int32', id: 7 },
            int64Val: { rule: 'repeated', type: 'int64', id: 10 },
          },
        },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'TensorShapeDim', id: 2 } } },
        TensorShapeDim: { fields: { size: { type: 'int64', id: 1 } } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(DESCRIPTOR);
/** The `Event` message type (also used by tests and the benchmark to write event files). */
export const EventType = root.lookupType('tensorboard.Event');

/** TensorFlow `DataType` codes of the numeric scalars read. */
export const DT = { FLOAT: 1, DOUBLE: 2, INT32: 3, INT64: 9, HALF: 19, BFLOAT16: 14 } as const;

export interface TensorProtoData {
  dtype?: number;
  tensorShape?: { dim?: { size?: number }[] };
  tensorContent?: Uint8Array;
  halfVal?: number[];
  floatVal?: number[];
  doubleVal?: number[];
  intVal?: number[];
  int64Val?: number[];
}

export interface SummaryValueData {
  tag?: string;
  simpleValue?: number;
  tensor?: TensorProtoData;
  metadata?: { pluginData?: { pluginName?: string } };
}

export interface EventData {
  wallTime?: number;
  step?: number;
  fileVersion?: string;
  summary?: { value?: SummaryValueData[] };
}

/** Decodes one record's bytes as an `Event`; throws on bytes that are not one (the caller counts them). */
export function decodeEventRecord(bytes: Uint8Array): EventData {
  return EventType.decode(bytes) as unknown as EventData;
}

/** IEEE 754 half (also the bits of a bfloat16 shifted) to a number. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** The value of a tensor that holds exactly one number (TF2's scalar summaries); undefined otherwise. */
export function tensorScalar(tensor: TensorProtoData): number | undefined {
  const elements = (tensor.tensorShape?.dim ?? []).reduce((n, d) => n * Number(d.size ?? 0), 1);
  if (elements !== 1) return undefined;
  const content = tensor.tensorContent;
  const view = content && content.length > 0 ? new DataView(content.buffer, content.byteOffset, content.byteLength) : undefined;
  switch (tensor.dtype) {
    case DT.FLOAT:
      return view ? (view.byteLength >= 4 ? view.getFloat32(0, true) : undefined) : tensor.floatVal?.[0];
    case DT.DOUBLE:
      return view ? (view.byteLength >= 8 ? view.getFloat64(0, true) : undefined) : tensor.doubleVal?.[0];
    case DT.HALF:
      return view ? (view.byteLength >= 2 ? halfToNumber(view.getUint16(0, true)) : undefined) : tensor.halfVal?.[0] === undefined ? undefined : halfToNumber(tensor.halfVal[0]);
    case DT.BFLOAT16: {
      const bits = view ? (view.byteLength >= 2 ? view.getUint16(0, true) : undefined) : tensor.halfVal?.[0];
      if (bits === undefined) return undefined;
      const f = new DataView(new ArrayBuffer(4));
      f.setUint32(0, bits << 16, false);
      return f.getFloat32(0, false);
    }
    case DT.INT32:
      return view ? (view.byteLength >= 4 ? view.getInt32(0, true) : undefined) : tensor.intVal?.[0];
    case DT.INT64:
      return view ? (view.byteLength >= 8 ? Number(view.getBigInt64(0, true)) : undefined) : tensor.int64Val?.[0];
    default:
      return undefined;
  }
}
