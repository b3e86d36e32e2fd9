using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.ApiKeys;
using FleetMarket.Worker.Inference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.Bench;

/// <summary>
/// What a buyer's stopwatch reads: a job submitted over the HTTP API with real workers (their own processes, paired
/// and running, idle) until its outputs are downloaded, against the floor of a raw ONNX Runtime run of the same model
/// on the same rows in this process (session creation + one run). Aim (issue 14): at most 2 × floor + 1 s.
/// </summary>
public static class JobLatency
{
    private sealed record Case(int Rows, int Workers, int? RowsPerUnit);

    private static readonly Case[] Cases =
    [
        new(64, 1, null),
        new(2_000, 2, null),
        new(2_000, 2, 500),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args is ["--rounds", var r, ..] ? int.Parse(r) : 3;
        var model = ReferenceModel.Build();
        Console.WriteLine($"model: the reference MLP ({model.Length:N0} bytes); {Environment.ProcessorCount} cores");
        Console.WriteLine("| rows | workers | rows a unit | submit → outputs (median) | raw ORT floor (median) | aim 2 × floor + 1 s |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var @case in Cases)
        {
            await using var app = new FleetApp();
            var market = new MarketplaceBuilder(app);
            var buyer = await market.BuyerWithBalanceAsync(1_000_00);
            var key = await app.InScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateAsync(buyer.Id, "bench"));
            using var api = app.NewClient();
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);

            var workers = new List<(WorkerProcess Worker, Process Running)>();
            for (var i = 0; i < @case.Workers; i++)
            {
                var (_, code) = await market.DeviceAwaitingPairingAsync();
                var worker = new WorkerProcess();
                var paired = await worker.RunAsync("pair", "--server", app.BaseAddress.ToString(), "--code", code.Code);
                if (paired.ExitCode != 0)
                {
                    throw new InvalidOperationException(paired.Error + paired.Output);
                }

                workers.Add((worker, worker.Start("run")));
            }

            // Idle and long-polling, as an owner's device is between jobs: the first job also pays for model loading.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var inputs = Npy.ToBytes(ReferenceModel.SampleInputs(@case.Rows));
            var timings = new List<TimeSpan>();
            var floors = new List<TimeSpan>();
            for (var round = 0; round < rounds; round++)
            {
                timings.Add(await SubmitAndDownloadAsync(api, model, inputs, @case.RowsPerUnit, round));
                floors.Add(RawOnnxRuntime(model, ReferenceModel.SampleInputs(@case.Rows)));
            }

            foreach (var (worker, running) in workers)
            {
                await WorkerProcess.StopAsync(running);
                worker.Dispose();
            }

            var (took, floor) = (Median(timings), Median(floors));
            var aim = 2 * floor + TimeSpan.FromSeconds(1);
            Console.WriteLine($"| {@case.Rows:N0} | {@case.Workers} | {@case.RowsPerUnit?.ToString() ?? "default"} | {took.TotalSeconds:F2} s "
                + $"(all: {string.Join(", ", timings.Select(t => t.TotalSeconds.ToString("F2")))}) | {floor.TotalMilliseconds:F0} ms | "
                + $"{aim.TotalSeconds:F2} s, {(took <= aim ? "met" : "missed")} |");
        }

        return 0;
    }

    private static async Task<TimeSpan> SubmitAndDownloadAsync(HttpClient api, byte[] model, byte[] inputs, int? rowsPerUnit, int round)
    {
        var clock = Stopwatch.StartNew();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(model), "model", "model.onnx" },
            { new ByteArrayContent(inputs), "inputs", "inputs.npy" },
            { new StringContent($"bench-{round}"), "name" },
            { new StringContent("none"), "verification" },
        };
        if (rowsPerUnit is { } rows)
        {
            form.Add(new StringContent(rows.ToString()), "rowsPerUnit");
        }

        using var submitted = await api.PostAsync("/api/jobs", form);
        submitted.EnsureSuccessStatusCode();
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        // A script polls as a buyer would; 50 ms adds at most that to the figure.
        while (true)
        {
            var job = await api.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");
            var status = job.GetProperty("status");
            if (status.ToString() is "Completed" or "3")
            {
                break;
            }

            if (status.ToString() is "Failed" or "Cancelled" or "4" or "5")
            {
                throw new InvalidOperationException($"job {id} ended {status}");
            }

            await Task.Delay(50);
        }

        var outputs = await api.GetByteArrayAsync($"/api/jobs/{id}/outputs");
        clock.Stop();
        return outputs.Length > 0 ? clock.Elapsed : throw new InvalidOperationException("no outputs");
    }

    private static TimeSpan RawOnnxRuntime(byte[] model, NpyArray features)
    {
        var clock = Stopwatch.StartNew();
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var input = OrtValue.CreateTensorValueFromMemory(features.ToFloats(), features.Shape.Select(d => (long)d).ToArray());
        using var results = session.Run(new RunOptions(), [ReferenceModel.InputName], [input], session.OutputNames);
        clock.Stop();
        return clock.Elapsed;
    }

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);
}
