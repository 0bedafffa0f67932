using System.Runtime.CompilerServices;
using System.Threading.Channels;
using LLama;
using LLama.Native;
using LLama.Sampling;

namespace MlTutor.Answering;

/// <summary>
/// One reply of the in-process model: the prompt read into the model's context, then one token at a time sampled and read
/// back, each token's text handed to the caller as it comes.
/// </summary>
/// <remarks>
/// All of it runs on one thread of its own. llama.cpp's CPU backend computes with an OpenMP thread team that belongs to
/// the calling thread; LLamaSharp's executors call it from whichever pool thread runs each token, so teams pile up and
/// their idle threads spin against the working team for the same cores, which cost more than half the generation speed
/// on a small machine. One calling thread keeps one team, as in llama.cpp's own server.
/// </remarks>
internal static class LocalModelGeneration
{
    /// <summary>How many tokens' text the model may write ahead of its reader: a reader that stops (the loop guard) or is
    /// slow on a busy machine holds the model back, so a reply read no further costs only these few tokens more.</summary>
    private const int ReadAhead = 8;

    /// <summary>
    /// The reply's text, one piece per generated token (empty while a character's bytes are incomplete), up to
    /// <paramref name="maxTokens"/> or the model's end-of-turn token. The context's memory is cleared first, so no earlier
    /// reply is seen. The context is in use until the sequence ends, cancelled or not; by then <paramref name="sampled"/>
    /// holds how many tokens the model sampled, read or not.
    /// </summary>
    public static async IAsyncEnumerable<string> RunAsync(LLamaContext context, LLamaToken[] prompt, ISamplingPipeline sampler, int maxTokens,
        StrongBox<int> sampled, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pieces = Channel.CreateBounded<string>(new BoundedChannelOptions(ReadAhead) { SingleReader = true, SingleWriter = true });
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Stopped by the caller's cancellation, and also when the caller stops reading (the loop guard does).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var thread = new Thread(() =>
        {
            try
            {
                Generate(context, prompt, sampler, maxTokens, pieces.Writer, sampled, stop.Token);
                pieces.Writer.TryComplete();
            }
            catch (Exception e)
            {
                pieces.Writer.TryComplete(e);
            }
            finally
            {
                finished.SetResult();
            }
        })
        {
            IsBackground = true,
            Name = "local model",
        };
        thread.Start();
        try
        {
            await foreach (var piece in pieces.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // ReadAllAsync hands on every piece already waiting before it looks at the token again.
                cancellationToken.ThrowIfCancellationRequested();
                yield return piece;
            }
        }
        finally
        {
            // The context is shared with the next reply: it is free only once this thread has let go of it, which it does
            // at the next token once stopped.
            await stop.CancelAsync().ConfigureAwait(false);
            await finished.Task.ConfigureAwait(false);
        }
    }

    private static void Generate(LLamaContext context, LLamaToken[] prompt, ISamplingPipeline sampler, int maxTokens,
        ChannelWriter<string> pieces, StrongBox<int> sampled, CancellationToken cancellationToken)
    {
        context.NativeHandle.MemoryClear(data: false);
        sampler.Reset();
        var batch = new LLamaBatch();
        var position = ReadPrompt(context, prompt, batch, cancellationToken);
        var decoder = new StreamingTokenDecoder(context);
        for (var written = 0; written < maxTokens && !cancellationToken.IsCancellationRequested; written++)
        {
            var token = sampler.Sample(context.NativeHandle, batch.TokenCount - 1);
            sampled.Value++;
            if (token.IsEndOfGeneration(context.Vocab)) return;
            decoder.Add(token);
            Write(pieces, decoder.Read(), cancellationToken);
            if (written + 1 == maxTokens) return;
            batch.Clear();
            batch.Add(token, position++, LLamaSeqId.Zero, logits: true);
            Decode(context, batch);
        }
    }

    /// <summary>Hands on a token's text, waiting while the reader is <see cref="ReadAhead"/> pieces behind.</summary>
    private static void Write(ChannelWriter<string> pieces, string piece, CancellationToken cancellationToken)
    {
        while (!pieces.TryWrite(piece))
            if (!pieces.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
                return; // completed: nobody reads any more
    }

    /// <summary>The prompt in batches the context takes at once, the model's logits asked for its last token only;
    /// a cancellation is seen between batches.</summary>
    private static int ReadPrompt(LLamaContext context, LLamaToken[] prompt, LLamaBatch batch, CancellationToken cancellationToken)
    {
        var size = (int)context.BatchSize;
        for (var start = 0; start < prompt.Length; start += size)
        {
            cancellationToken.ThrowIfCancellationRequested();
            batch.Clear();
            var end = Math.Min(start + size, prompt.Length);
            for (var i = start; i < end; i++)
                batch.Add(prompt[i], i, LLamaSeqId.Zero, logits: i == prompt.Length - 1);
            Decode(context, batch);
        }
        return prompt.Length;
    }

    private static void Decode(LLamaContext context, LLamaBatch batch)
    {
        var result = context.Decode(batch);
        if (result != DecodeResult.Ok)
            throw new AnswererException($"the local model could not read its input (llama.cpp: {result}): lower Answering:MaxPromptTokens or raise Answering:Local:ContextSize");
    }
}
