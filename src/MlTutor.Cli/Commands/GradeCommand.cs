using System.CommandLine;
using MlTutor.Tutoring;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor grade --batch FILE</c>: interview answers graded against the notes, offline, one result per answer; with a
/// language model (--llm, Answering:Provider) the model grades each against the same key points too and writes feedback.</summary>
public static class GradeCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON line per answer: id, score, verdict, covered, missed, citations (and byModel or modelError with a language model)" };
        var batch = new Option<string>("--batch")
        {
            Description = "Grade every answer of a JSONL file ({\"id\", \"question\", \"answer\"} per line)", HelpName = "FILE", Required = true,
        };
        var command = new Command("grade", "Grade interview answers against the key points of your notes")
        {
            json, batch, QuestionOptionsBinding.Llm,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var host = CommonOptions.BuildHost(parse, questionAfterQuestion: true);
            var tutor = host.Tutor();
            var provider = QuestionOptionsBinding.ProviderFrom(parse);
            var answers = BatchFile.ReadAnswers(parse.GetValue(batch)!, tutor.Settings.Retrieval.MaxQuestionChars);
            Output.UpdateBeforeQuestions(tutor, ct);
            foreach (var (id, question, answer) in answers)
            {
                ct.ThrowIfCancellationRequested();
                var graded = await tutor.GradeAsync(question, answer, provider, ct);
                GradeRendering.Notes(id, graded);
                if (parse.GetValue(json)) Output.WriteJson(GradeRendering.Json(id, graded));
                else GradeRendering.Print(id, graded);
            }
            return 0;
        });
        return command;
    }
}
