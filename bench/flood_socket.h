#pragma once

// A client connection for the flood scenario, on a plain non-blocking socket
// driven from the main thread: it writes as much as the kernel takes (and
// no more: the tool holds no backlog of its own), and reads only when asked
// to, so it can play a client that never reads. Received text frames are
// counted by their "type" (and kept when asked), pongs and a close counted.

#include "ws/ws_frame.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QUrl>

namespace confab::bench {

class FloodSocket {
public:
    FloodSocket();
    ~FloodSocket();
    FloodSocket(const FloodSocket&) = delete;
    FloodSocket& operator=(const FloodSocket&) = delete;

    // Connects and writes the upgrade for `target` ("/", "/?token=...").
    bool open(const QUrl& url, const QString& target);
    // A masked client frame.
    static QByteArray frame(server::ws::Opcode opcode, QByteArrayView payload);
    static QByteArray request(const QString& type, const QJsonObject& payload, const QString& id = {});

    // Writes what the kernel takes now: bytes written; -1 once the
    // connection is gone.
    qint64 writeSome(QByteArrayView bytes);
    // Reads what has arrived (without waiting); false once the connection
    // is gone (EOF or reset).
    bool drain();
    bool isGone() const { return m_gone; }
    void close();

    qint64 written = 0;
    QHash<QString, qint64> textsByType; // "ok", "error:rate_limited", "typing", ...
    qint64 replies = 0;                 // text frames carrying an id
    qint64 pongs = 0;
    bool keepTexts = false;
    QList<QJsonObject> texts;

private:
    void parse(QByteArrayView bytes);

    int m_fd = -1;
    bool m_gone = false;
    bool m_headDone = false;
    QByteArray m_head;
    server::ws::FrameParser m_parser;
};

} // namespace confab::bench
