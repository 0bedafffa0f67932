using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace MlTutor.Tutoring;

/// <summary>
/// Turns configuration (appsettings.json, MLTUTOR__SECTION__KEY variables) into <see cref="TutorSettings"/>, and refuses a
/// value that cannot be read or cannot work before any command starts: a typo in a setting is then one line naming it,
/// not a failure deep inside whichever command first happens to use it.
/// </summary>
public static class SettingsBinding
{
    public const string EnvironmentPrefix = "MLTUTOR__";

    public static TutorSettings Bind(IConfiguration configuration)
    {
        CheckReadable(configuration, typeof(TutorSettings), "");
        var settings = new TutorSettings();
        try
        {
            configuration.Bind(settings);
        }
        catch (InvalidOperationException e)
        {
            // CheckReadable mirrors the binder; this is only for a value it did not foresee.
            throw new TutorException($"the configuration cannot be read: {e.Message} Fix it in appsettings.json or the {EnvironmentPrefix}… variable", Remedy.FixSetting, e);
        }
        SettingsRules.Check(settings);
        return settings;
    }

    /// <summary>A setting whose value is not one it allows, named with where the value came from.</summary>
    public static TutorException Refused(string key, string? value, string expected) =>
        new($"setting {key} is '{value}' ({SourceOf(key)}), not {expected}", Remedy.FixSetting) { Setting = key };

    /// <summary>Where a setting's value came from, for the message: the environment variable that set it, else appsettings.json.</summary>
    public static string SourceOf(string key)
    {
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
            if (variable.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal)
                && string.Equals(name[EnvironmentPrefix.Length..].Replace("__", ":"), key, StringComparison.OrdinalIgnoreCase))
                return name;
        return "appsettings.json";
    }

    /// <summary>Checks every scalar value the binder would convert, the same way it converts them (invariant culture).</summary>
    private static void CheckReadable(IConfiguration configuration, Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is null) continue;
            var key = prefix + property.Name;
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (target == typeof(string)) continue;
            if (target.IsArray && target.GetElementType() is { } element && IsScalar(element))
            {
                CheckList(configuration.GetSection(key), element);
                continue;
            }
            if (!IsScalar(target))
            {
                CheckReadable(configuration, target, key + ":");
                continue;
            }
            var value = configuration[key];
            if (value is null || (value.Length == 0 && target != property.PropertyType)) continue; // unset, or an empty optional value
            CheckValue(key, value, target);
        }
    }

    /// <summary>A list setting is set element by element (Review:Weights:0, MLTUTOR__Review__Weights__0); one value for the
    /// whole list would be ignored by the binder, so it is refused.</summary>
    private static void CheckList(IConfigurationSection list, Type element)
    {
        if (list.Value is { Length: > 0 } whole)
            throw Refused(list.Path, whole, $"a list: set its elements one by one, as {list.Path}:0, {list.Path}:1…");
        foreach (var item in list.GetChildren())
            if (item.Value is { } value)
                CheckValue(item.Path, value, element);
    }

    private static void CheckValue(string key, string value, Type target)
    {
        try
        {
            TypeDescriptor.GetConverter(target).ConvertFromInvariantString(value);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or NotSupportedException
                                      || e.InnerException is FormatException or OverflowException)
        {
            throw Refused(key, value, Expected(target));
        }
    }

    private static bool IsScalar(Type type) => type.IsPrimitive || type.IsEnum || type == typeof(decimal);

    private static string Expected(Type type) =>
        type == typeof(bool) ? "true or false"
        : type == typeof(float) || type == typeof(double) || type == typeof(decimal) ? "a number such as 0.5"
        : $"a whole number (at most {Convert.ToString(type.GetField("MaxValue")?.GetValue(null), CultureInfo.InvariantCulture)})";
}
