#pragma once

#include "protocol/ids.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace confab::server::cluster {

// One line of a NOTIFY payload on the cluster channel. Instances sharing a
// PostgreSQL database tell each other about ephemeral state this way (typing,
// presence, liveness); durable changes travel through the cluster_events
// table instead and the `Changes` line only says "read it now".
//
// Text, one line per item, space separated, the sender's origin second:
//   c ORIGIN                          changes were committed: read cluster_events
//   t ORIGIN ROOM USER 0|1            typing
//   p ORIGIN USER 0|1 AT              a user's first/last connection on ORIGIN
//   hb ORIGIN                         heartbeat
//   hello ORIGIN                      (re)joined: everyone send me a snapshot
//   s ORIGIN SERIAL PART PARTS IDS    snapshot part of ORIGIN's online users
//                                     (IDS comma separated, "-" when none)
//   bye ORIGIN                        shutting down: its users are gone
struct BusLine {
    enum class Kind { Changes, Typing, Presence, Heartbeat, Hello, Snapshot, Bye };
    Kind kind = Kind::Heartbeat;
    QString origin;
    Id roomId = 0;
    Id userId = 0;
    bool flag = false; // typing: isTyping; presence: online
    qint64 at = 0;     // presence: lastSeenAt
    quint64 serial = 0;
    int part = 0; // 1-based
    int parts = 0;
    QList<Id> userIds;

    QString encode() const;
    // nullopt for a line this build does not understand (a newer peer's).
    static std::optional<BusLine> decode(QStringView line);

    static BusLine changes(const QString& origin);
    static BusLine typing(const QString& origin, Id roomId, Id userId, bool isTyping);
    static BusLine presence(const QString& origin, Id userId, bool online, qint64 at);
    static BusLine heartbeat(const QString& origin);
    static BusLine hello(const QString& origin);
    static BusLine bye(const QString& origin);
    // The snapshot of `userIds` in as many parts as needed to keep every
    // line under maxLineBytes.
    static QList<BusLine> snapshot(const QString& origin, quint64 serial, const QList<Id>& userIds,
                                   int maxLineBytes = 4000);

private:
    static BusLine make(Kind kind, const QString& origin)
    {
        BusLine line;
        line.kind = kind;
        line.origin = origin;
        return line;
    }
};

// PostgreSQL caps a NOTIFY payload below 8000 bytes.
inline constexpr int kMaxPayloadBytes = 7900;

// Joins encoded lines into as few payloads as fit kMaxPayloadBytes each,
// keeping their order.
QStringList packPayloads(const QStringList& encodedLines, int maxBytes = kMaxPayloadBytes);
// Every line of a payload that decodes.
QList<BusLine> unpackPayload(const QString& payload);

// An origin name for this process: host, pid and a random part, no spaces.
QString makeOrigin();

} // namespace confab::server::cluster
