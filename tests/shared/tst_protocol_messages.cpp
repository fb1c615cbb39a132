// Messages (docs/protocol.md: send_message, message_ack, message,
// fetch_messages, history, mark_read, read): golden payloads, content and
// tempId limits, mention spans as sent, paging bounds.
#include "protocol_fixture.h"

class TestProtocolMessages : public QObject {
    Q_OBJECT

private slots:
    void sendMessageRequest();
    void fetchMessagesRequest();
    void markReadRequest();
    void messageAck();
    void messageEvent();
    void historyReply();
    void readEvent();
    void contentLimitIsConfigurable();
    void normalized_data();
    void normalized() { checkNormalized(); }
    void badInput_data();
    void badInput() { checkBadInput(); }
    void limitClamping_data();
    void limitClamping() { checkLimitClamping(); }
};

void TestProtocolMessages::sendMessageRequest()
{
    GOLDEN(SendMessageRequest, fromPayload, toPayload,
           R"({"roomId":5,"content":"😀 @bob hi","tempId":"t-1",)"
           R"("mentions":[{"userId":8,"indexStart":3,"indexEnd":7}],"replyTo":99})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->content, str("😀 @bob hi"));
    QCOMPARE(r->tempId, str("t-1"));
    QCOMPARE(r->mentions, (QList<Mention>{Mention{8, 3, 7}}));
    QCOMPARE(r->replyTo.value_or(-1), Id(99));
}

void TestProtocolMessages::fetchMessagesRequest()
{
    GOLDEN(FetchMessagesRequest, fromPayload, toPayload, R"({"roomId":5,"beforeId":120,"limit":30})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->beforeId.value_or(-1), Id(120));
    QVERIFY(!r->afterId);
    QCOMPARE(r->limit, 30);
}

void TestProtocolMessages::markReadRequest()
{
    GOLDEN(MarkReadRequest, fromPayload, toPayload, R"({"roomId":5,"messageId":101})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->messageId, Id(101));
}

void TestProtocolMessages::messageAck()
{
    GOLDEN(MessageAck, fromPayload, toPayload,
           R"({"tempId":"t-1","messageId":101,"createdAt":1700000000456})");
    QCOMPARE(r->tempId, str("t-1"));
    QCOMPARE(r->messageId, Id(101));
    QCOMPARE(r->createdAt, qint64(1700000000456));
}

void TestProtocolMessages::messageEvent()
{
    GOLDEN(MessageEvent, fromPayload, toPayload, R"({"message":)" MSG_FULL "}");
    QCOMPARE(r->message, goldenMessage());
}

void TestProtocolMessages::historyReply()
{
    GOLDEN(HistoryReply, fromPayload, toPayload,
           R"({"roomId":5,"messages":[)" MSG_FULL "," MSG_PLAIN R"(],"hasMore":true})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->messages, (QList<Message>{goldenMessage(), plainMessage()}));
    QCOMPARE(r->hasMore, true);
}

void TestProtocolMessages::readEvent()
{
    GOLDEN(ReadEvent, fromPayload, toPayload, R"({"roomId":5,"messageId":101})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->messageId, Id(101));
}

void TestProtocolMessages::contentLimitIsConfigurable()
{
    const QJsonObject p = object(R"({"roomId":5,"content":"ab😀","tempId":"t"})"); // 4 UTF-16 units
    QVERIFY(SendMessageRequest::fromPayload(p, 4).ok());
    const Result<SendMessageRequest> r = SendMessageRequest::fromPayload(p, 3);
    QVERIFY(!r.ok());
    QCOMPARE(errorCodeName(r.error().code), str("too_large"));
    QCOMPARE(r.error().message, str("content is longer than 3 characters"));
}

// Accepted input, normalized.
void TestProtocolMessages::normalized_data()
{
    normalizedColumns();
    row("send_message: nulls", "request:send_message",
        R"({"roomId":"5","content":" hi ","tempId":"t","mentions":null,"replyTo":null})",
        R"({"roomId":5,"content":" hi ","tempId":"t"})");
    row("send_message: empty mentions", "request:send_message",
        R"({"roomId":5,"content":"x","tempId":"t","mentions":[]})",
        R"({"roomId":5,"content":"x","tempId":"t"})");
    row("send_message: wrong span kept", "request:send_message",
        R"({"roomId":5,"content":"x","tempId":"t","mentions":[{"userId":"8","indexStart":-4,"indexEnd":900}]})",
        R"({"roomId":5,"content":"x","tempId":"t","mentions":[{"userId":8,"indexStart":-4,"indexEnd":900}]})");
    row("send_message: 16000 chars", "request:send_message",
        R"({"roomId":5,"tempId":"t","content":")" + repeated("早", 16000) + R"("})",
        R"({"roomId":5,"tempId":"t","content":")" + repeated("早", 16000) + R"("})");
    row("send_message: 128-char tempId", "request:send_message",
        R"({"roomId":5,"content":"x","tempId":")" + repeated("t", 128) + R"("})",
        R"({"roomId":5,"content":"x","tempId":")" + repeated("t", 128) + R"("})");
    row("fetch_messages: defaults", "request:fetch_messages", R"({"roomId":5})",
        R"({"roomId":5,"limit":50})");
    row("fetch_messages: null paging", "request:fetch_messages",
        R"({"roomId":5,"beforeId":null,"afterId":8,"limit":null})", R"({"roomId":5,"afterId":8,"limit":50})");
}

// Rejected input: the code, and the field the message names.
void TestProtocolMessages::badInput_data()
{
    badInputColumns();
    const QByteArray send = R"({"roomId":5,"tempId":"t","content":"hi",)";
    const auto mentions = [&send](const QByteArray& list) { return send + R"("mentions":)" + list + "}"; };
    bad("send: roomId missing", "request:send_message", R"({"content":"hi","tempId":"t"})", "roomId");
    bad("send: roomId null", "request:send_message", R"({"roomId":null,"content":"hi","tempId":"t"})",
        "roomId");
    bad("send: content missing", "request:send_message", R"({"roomId":5,"tempId":"t"})", "content");
    bad("send: content number", "request:send_message", R"({"roomId":5,"content":5,"tempId":"t"})",
        "content");
    bad("send: content empty", "request:send_message", R"({"roomId":5,"content":"","tempId":"t"})",
        "content");
    bad("send: content whitespace", "request:send_message",
        R"({"roomId":5,"content":" \n\t\u3000 ","tempId":"t"})", "content");
    bad("send: content zero-width", "request:send_message",
        R"({"roomId":5,"content":"\u200b\u2060\ufeff","tempId":"t"})", "content");
    bad("send: content 16001", "request:send_message",
        R"({"roomId":5,"tempId":"t","content":")" + repeated("x", 16001) + R"("})", "content",
        ErrorCode::TooLarge);
    bad("send: content 8001 emoji", "request:send_message",
        R"({"roomId":5,"tempId":"t","content":")" + repeated("😀", 8001) + R"("})", "content",
        ErrorCode::TooLarge);
    bad("send: tempId missing", "request:send_message", R"({"roomId":5,"content":"hi"})", "tempId");
    bad("send: tempId empty", "request:send_message", R"({"roomId":5,"content":"hi","tempId":""})", "tempId");
    bad("send: tempId number", "request:send_message", R"({"roomId":5,"content":"hi","tempId":1})", "tempId");
    bad("send: tempId 129", "request:send_message",
        R"({"roomId":5,"content":"hi","tempId":")" + repeated("t", 129) + R"("})", "tempId");
    bad("send: mentions object", "request:send_message", mentions("{}"), "mentions");
    bad("send: mention string", "request:send_message", mentions(R"(["@bob"])"), "mentions[0]");
    bad("send: mention userId missing", "request:send_message",
        mentions(R"([{"indexStart":0,"indexEnd":4}])"), "mentions[0].userId");
    bad("send: mention indexStart string", "request:send_message",
        mentions(R"([{"userId":8,"indexStart":"0","indexEnd":4}])"), "mentions[0].indexStart");
    bad("send: mention indexEnd fraction", "request:send_message",
        mentions(R"([{"userId":8,"indexStart":0,"indexEnd":4},{"userId":8,"indexStart":0,"indexEnd":4.5}])"),
        "mentions[1].indexEnd");
    bad("send: mention index beyond int", "request:send_message",
        mentions(R"([{"userId":8,"indexStart":0,"indexEnd":4294967296}])"), "mentions[0].indexEnd");
    bad("send: 101 mentions", "request:send_message",
        mentions("[" + repeated(R"({"userId":8,"indexStart":0,"indexEnd":4},)", 100) +
                 R"({"userId":8,"indexStart":0,"indexEnd":4}])"),
        "mentions");
    bad("send: replyTo bool", "request:send_message", send + R"("replyTo":true})", "replyTo");
    bad("fetch: roomId missing", "request:fetch_messages", R"({"limit":5})", "roomId");
    bad("fetch: before and after", "request:fetch_messages", R"({"roomId":5,"beforeId":9,"afterId":3})",
        "beforeId and afterId");
    bad("fetch: beforeId bool", "request:fetch_messages", R"({"roomId":5,"beforeId":true})", "beforeId");
    bad("fetch: limit string", "request:fetch_messages", R"({"roomId":5,"limit":"10"})", "limit");
    bad("fetch: limit bool", "request:fetch_messages", R"({"roomId":5,"limit":true})", "limit");
    bad("fetch: limit object", "request:fetch_messages", R"({"roomId":5,"limit":{}})", "limit");
    bad("mark_read: messageId missing", "request:mark_read", R"({"roomId":5})", "messageId");
    bad("message_ack: createdAt fraction", "reply:message_ack",
        R"({"tempId":"t","messageId":1,"createdAt":1.5})", "createdAt");
    bad("message: missing", "reply:message", "{}", "message");
    bad("history: hasMore string", "reply:history", R"({"roomId":5,"messages":[],"hasMore":"yes"})",
        "hasMore");
    bad("read: messageId null", "reply:read", R"({"roomId":5,"messageId":null})", "messageId");
}

void TestProtocolMessages::limitClamping_data()
{
    limitClampingRows({{"request:fetch_messages", R"({"roomId":5,)", limits::kHistoryMaxLimit}});
}

QTEST_APPLESS_MAIN(TestProtocolMessages)
#include "tst_protocol_messages.moc"
