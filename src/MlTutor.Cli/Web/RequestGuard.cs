using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MlTutor.Cli.Web;

/// <summary>
/// What every request to the study page must satisfy before it reaches the tutor. The notes are private and the server
/// listens on the student's own machine, so:
/// - a request addressed to a host name other than the server's own address (or localhost) is refused: a page on another
///   site that rebinds its name to 127.0.0.1 (DNS rebinding) still sends its own name in Host;
/// - a request that changes something (a question, a re-index) carries the token this process put in the page
///   (X-MlTutor-Token): another site's page can post a form to 127.0.0.1, but cannot read the page to learn the token.
/// </summary>
public sealed class RequestGuard(IPAddress bound)
{
    public const string TokenHeader = "X-MlTutor-Token";

    private readonly byte[] _token = Encoding.ASCII.GetBytes(NewToken());

    /// <summary>The token of this process, written into the page it serves.</summary>
    public string Token => Encoding.ASCII.GetString(_token);

    /// <summary>The port the server listens on, once it does.</summary>
    public int Port { get; set; }

    /// <summary>Why the request is refused (status and message), or null when it may go on.</summary>
    public (int Status, string Message)? Refusal(HttpRequest request)
    {
        if (!Addressed(request.Host))
            return (StatusCodes.Status403Forbidden, $"this server answers requests addressed to {Address.Of(bound, Port)}, not to '{request.Host}'");
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) return null;
        var sent = Encoding.ASCII.GetBytes(request.Headers[TokenHeader].ToString());
        if (!CryptographicOperations.FixedTimeEquals(sent, _token))
            return (StatusCodes.Status403Forbidden, $"a request that changes something needs the page's token in the {TokenHeader} header");
        return null;
    }

    /// <summary>
    /// Host names a DNS answer cannot forge: an address literal (the bound one, or any when the server listens on every
    /// interface) and localhost on a loopback server; with this server's port.
    /// </summary>
    private bool Addressed(HostString host)
    {
        if (host.Port != Port || string.IsNullOrEmpty(host.Host)) return false;
        var name = host.Host;
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return IPAddress.IsLoopback(bound) || bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any);
        if (!IPAddress.TryParse(name.Trim('[', ']'), out var literal)) return false;
        return literal.Equals(bound) || bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any);
    }

    private static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>How an address and port are written in a URL.</summary>
public static class Address
{
    public static string Of(IPAddress address, int port) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}
