import NIOCore

/// Where a connection's protocol state machine sends messages. Messages accumulate in a buffer;
/// `flush` hands them to the channel, `flushIfLarge` also waits until the peer has taken them
/// (backpressure: a slow client holds back its own result, never the server's memory).
protocol MessageOutput: AnyObject {
    func send(_ message: BackendMessage)
    /// Appends DataRow messages for `rows` of `batch`.
    func sendRows(_ batch: Batch, rows: Range<Int>, encoder: RowEncoder)
    func flush()
    /// Bytes appended and not yet flushed.
    var bufferedBytes: Int { get }
    /// Writes and waits when more than a threshold is buffered; throws when the connection is gone.
    func flushIfLarge() throws
    /// Flushes and closes the connection.
    func close()
}

import Storage

/// `MessageOutput` over a NIO channel, used from the connection's worker thread, or from the event loop for the
/// inline executions that never call `flushIfLarge` (it waits for the peer).
final class ChannelOutput: MessageOutput, @unchecked Sendable {
    private let channel: Channel
    private var buffer: ByteBuffer
    /// Bytes buffered before a write waits for the peer.
    static let threshold = 256 * 1024

    init(channel: Channel) {
        self.channel = channel
        self.buffer = channel.allocator.buffer(capacity: 4096)
    }

    func send(_ message: BackendMessage) {
        BackendMessageEncoder.write(message, into: &buffer)
    }

    func sendRows(_ batch: Batch, rows: Range<Int>, encoder: RowEncoder) {
        encoder.encode(batch, rows: rows, into: &buffer)
    }

    var bufferedBytes: Int { buffer.readableBytes }

    func flush() {
        guard buffer.readableBytes > 0 else { return }
        let out = buffer
        buffer = channel.allocator.buffer(capacity: 4096)
        channel.writeAndFlush(BackendMessage.encodedRows(out), promise: nil)
    }

    func flushIfLarge() throws {
        guard buffer.readableBytes >= Self.threshold else { return }
        let out = buffer
        buffer = channel.allocator.buffer(capacity: Self.threshold + 65_536)
        try channel.writeAndFlush(BackendMessage.encodedRows(out)).wait()
    }

    func close() {
        flush()
        channel.close(promise: nil)
    }
}
