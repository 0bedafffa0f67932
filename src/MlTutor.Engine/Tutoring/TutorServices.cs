using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MlTutor.Tutoring;

/// <summary>How a host registers the tutor with its services.</summary>
public static class TutorServices
{
    /// <summary>
    /// Binds and checks the settings from <paramref name="configuration"/> at once (a bad value stops the host before any
    /// work) and registers them and one <see cref="Tutor"/>, created when first asked for and disposed with the host.
    /// </summary>
    /// <param name="home">The folder relative paths in the settings start from.</param>
    /// <param name="warn">Where the tutor's warnings go (see <see cref="Tutor(TutorSettings, string, Action{string})"/>).</param>
    public static IServiceCollection AddTutor(this IServiceCollection services, IConfiguration configuration, string home, Action<string>? warn = null)
    {
        var settings = SettingsBinding.Bind(configuration);
        services.AddSingleton(settings);
        // A host may register its own clock (to try schedules on another day); otherwise the system's.
        services.AddSingleton(sp => new Tutor(sp.GetRequiredService<TutorSettings>(), home, warn, sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return services;
    }
}
