#pragma once

#include "protocol/limits.h"
#include "protocol/types.h"

#include <QJsonObject>
#include <QList>
#include <QString>

// The message lifecycle (contract, second part: "Message changes and
// catch-up"): the requests edit_message, delete_message, react and
// fetch_changes, and what the server answers and pushes for them. Same
// conventions as requests.h and replies.h.
namespace confab {

// --- client -> server

struct EditMessageRequest { // edit_message
    Id messageId = 0;
    QString content;         // send_message's content rules
    QList<Mention> mentions; // as sent; the server verifies each span
    static Result<EditMessageRequest> fromPayload(const QJsonObject& p,
                                                  int contentMaxLength = limits::kDefaultContentMaxLength);
    QJsonObject toPayload() const;
};

struct DeleteMessageRequest { // delete_message
    Id messageId = 0;
    static Result<DeleteMessageRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct ReactRequest { // react
    Id messageId = 0;
    QString emoji; // 1..kEmojiMaxLength UTF-16 units, no whitespace or controls
    bool on = true;
    static Result<ReactRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct FetchChangesRequest { // fetch_changes
    Id roomId = 0;
    qint64 afterRevision = 0; // >= 0
    int limit = limits::kHistoryDefaultLimit;
    static Result<FetchChangesRequest> fromPayload(const QJsonObject& p, int maxLimit = limits::kHistoryMaxLimit);
    QJsonObject toPayload() const;
};

// --- server -> client

struct MessageUpdatedEvent { // message_updated: the whole message after an edit or delete
    Message message;
    QJsonObject toPayload() const;
    static Result<MessageUpdatedEvent> fromPayload(const QJsonObject& p);
};

struct ReactionEvent { // reaction
    Id roomId = 0;
    Id messageId = 0;
    QString emoji;
    Id userId = 0;
    bool on = false;
    qint64 revision = 0; // the message's revision after this change
    QJsonObject toPayload() const;
    static Result<ReactionEvent> fromPayload(const QJsonObject& p);
    friend bool operator==(const ReactionEvent& a, const ReactionEvent& b);
};

struct ChangesReply { // changes
    Id roomId = 0;
    QList<Message> messages; // ascending by revision
    bool hasMore = false;
    QJsonObject toPayload() const;
    static Result<ChangesReply> fromPayload(const QJsonObject& p);
};

} // namespace confab
