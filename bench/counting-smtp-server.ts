import { SMTPServer } from 'smtp-server';

/** An SMTP server that accepts and counts, parsing nothing: the benchmark measures the sender. */
export async function countingSmtpServer(): Promise<{
  url: string;
  accepted: () => number;
  reset: () => void;
  close: () => Promise<void>;
}> {
  let accepted = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        accepted++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted: () => accepted,
    reset: () => (accepted = 0),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
