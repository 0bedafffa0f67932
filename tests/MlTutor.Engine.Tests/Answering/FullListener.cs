using System.Net;
using System.Net.Sockets;

namespace MlTutor.Tests.Answering;

/// <summary>
/// A port on 127.0.0.1 whose listener never accepts and whose queue of pending connections is full: the kernel drops
/// further connection requests, so a client's connect hangs as it does towards a host that is down or firewalled.
/// </summary>
internal sealed class FullListener : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _queued = [];

    public FullListener()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(0);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        // Fill the queue: each of these completes its handshake and waits to be accepted; then one more cannot.
        for (var i = 0; i < 8; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var connect = client.ConnectAsync(IPAddress.Loopback, Port);
            _queued.Add(client);
            if (!connect.Wait(TimeSpan.FromMilliseconds(200))) break;
        }
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/v1");

    public void Dispose()
    {
        foreach (var s in _queued) s.Dispose();
        _listener.Dispose();
    }
}
