using System.CommandLine;
using MlTutor.Tutoring;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor ask "QUESTION"</c>: one cited answer from the notes (the index is built or updated first when needed).</summary>
public static class AskCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object: question, answer, notCovered, citations, droppedMarkers, uncited, promptTokens" };
        var batch = new Option<string?>("--batch") { Description = "Answer every question of a JSONL file ({\"id\", \"question\"} per line, with an optional \"history\" of earlier questions), one JSON line each", HelpName = "FILE" };
        var question = new Argument<string?>("QUESTION") { Description = "Your question, in your own words", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("ask", "Answer a question from the notes, with numbered citations")
        {
            json, batch, QuestionOptionsBinding.K, QuestionOptionsBinding.Retriever, QuestionOptionsBinding.Llm, QuestionOptionsBinding.Interviewer, question,
        };
        command.SetAction(async (parse, ct) =>
        {
            BatchFile.RequireQuestionOrBatch(parse, question, batch);
            using var host = CommonOptions.BuildHost(parse, questionAfterQuestion: parse.GetValue(batch) is not null);
            var tutor = host.Tutor();
            var options = QuestionOptionsBinding.From(parse);
            var maxChars = tutor.Settings.Retrieval.MaxQuestionChars;
            if (parse.GetValue(batch) is { } file)
            {
                var questions = BatchFile.ReadQuestions(file, maxChars);
                tutor.StartLoadingForAnswers();
                Output.UpdateBeforeQuestions(tutor, ct);
                foreach (var (id, q, history) in questions)
                {
                    var answer = await tutor.AskAsync(q, options with { History = history }, ct);
                    AnswerNotes.Whole(answer);
                    Output.WriteJson(AnswerRendering.Json(answer, id));
                }
                return 0;
            }
            var text = parse.GetValue(question);
            if (string.IsNullOrWhiteSpace(text)) throw new UserException("the question is empty: give a QUESTION or --batch FILE");
            text = QuestionInput.Prepare(text, maxChars);
            tutor.StartLoadingForAnswers();
            Output.UpdateBeforeQuestions(tutor, ct);
            if (parse.GetValue(json))
            {
                var answer = await tutor.AskAsync(text, options, ct);
                AnswerNotes.Whole(answer);
                Output.WriteJson(AnswerRendering.Json(answer));
            }
            else await AnswerRendering.PrintAsync(tutor.AskStreamingAsync(text, options, ct));
            return 0;
        });
        return command;
    }
}
