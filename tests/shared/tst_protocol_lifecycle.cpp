// The message lifecycle (contract, second part: "Message changes and
// catch-up"): edit_message, delete_message, react, fetch_changes and the
// message_updated, reaction and changes the server answers with; the message
// fields revision, reactions, kind and replyPreview.
#include "protocol_fixture.h"

class TestProtocolLifecycle : public QObject {
    Q_OBJECT

private slots:
    void editMessageRequest();
    void editContentRulesAreSendMessages();
    void deleteMessageRequest();
    void reactRequest();
    void fetchChangesRequest();
    void messageUpdatedEvent();
    void reactionEvent();
    void changesReply();
    void systemMessageKind();
    void normalized_data();
    void normalized() { checkNormalized(); }
    void badInput_data();
    void badInput() { checkBadInput(); }
    void limitClamping_data();
    void limitClamping() { checkLimitClamping(); }
};

void TestProtocolLifecycle::editMessageRequest()
{
    GOLDEN(EditMessageRequest, fromPayload, toPayload,
           R"({"messageId":101,"content":"fixed @张三","mentions":[{"userId":8,"indexStart":6,"indexEnd":9}]})");
    QCOMPARE(r->messageId, Id(101));
    QCOMPARE(r->content, str("fixed @张三"));
    QCOMPARE(r->mentions, (QList<Mention>{Mention{8, 6, 9}}));
}

// The same content refused by send_message is refused by edit_message, with
// the same code and message.
void TestProtocolLifecycle::editContentRulesAreSendMessages()
{
    const QList<QByteArray> contents{R"("")", R"(" \n ")", R"("a\u0001b")", R"("\ud800")", R"(5)",
                                     R"(")" + repeated("x", 17) + R"(")"};
    for (const QByteArray& content : contents) {
        const auto sent = SendMessageRequest::fromPayload(
            object(R"({"roomId":5,"tempId":"t","content":)" + content + "}"), 16);
        const auto edited = EditMessageRequest::fromPayload(object(R"({"messageId":5,"content":)" + content + "}"), 16);
        QVERIFY2(!sent.ok() && !edited.ok(), content.constData());
        QCOMPARE(edited.error().code, sent.error().code);
        QCOMPARE(edited.error().message, sent.error().message);
    }
}

void TestProtocolLifecycle::deleteMessageRequest()
{
    GOLDEN(DeleteMessageRequest, fromPayload, toPayload, R"({"messageId":101})");
    QCOMPARE(r->messageId, Id(101));
}

void TestProtocolLifecycle::reactRequest()
{
    GOLDEN(ReactRequest, fromPayload, toPayload, R"({"messageId":101,"emoji":"👍🏽","on":true})");
    QCOMPARE(r->messageId, Id(101));
    QCOMPARE(r->emoji, str("👍🏽"));
    QCOMPARE(r->on, true);
    // A ZWJ family sequence and a flag are one emoji each; 32 units is the most.
    QVERIFY(ReactRequest::fromPayload(object(R"({"messageId":1,"emoji":"👨‍👩‍👧‍👦","on":false})")).ok());
    QVERIFY(ReactRequest::fromPayload(object(R"({"messageId":1,"emoji":"🇨🇳","on":true})")).ok());
    QVERIFY(ReactRequest::fromPayload(object(R"({"messageId":1,"emoji":")" + repeated("x", 32) + R"(","on":true})")).ok());
}

void TestProtocolLifecycle::fetchChangesRequest()
{
    GOLDEN(FetchChangesRequest, fromPayload, toPayload, R"({"roomId":5,"afterRevision":9007199254740991,"limit":30})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->afterRevision, qint64(9007199254740991));
    QCOMPARE(r->limit, 30);
}

void TestProtocolLifecycle::messageUpdatedEvent()
{
    GOLDEN(MessageUpdatedEvent, fromPayload, toPayload, R"({"message":)" MSG_PLAIN "}");
    QCOMPARE(r->message, plainMessage());
}

void TestProtocolLifecycle::reactionEvent()
{
    GOLDEN(ReactionEvent, fromPayload, toPayload,
           R"({"roomId":5,"messageId":101,"emoji":"🎉","userId":8,"on":false,"revision":14})");
    QCOMPARE(*r, (ReactionEvent{5, 101, str("🎉"), 8, false, 14}));
}

void TestProtocolLifecycle::changesReply()
{
    GOLDEN(ChangesReply, fromPayload, toPayload,
           R"({"roomId":5,"messages":[)" MSG_FULL "," MSG_PLAIN R"(],"hasMore":false})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->messages, (QList<Message>{goldenMessage(), plainMessage()}));
    QCOMPARE(r->hasMore, false);
}

void TestProtocolLifecycle::systemMessageKind()
{
    Message m = plainMessage();
    m.kind = MessageKind::System;
    QCOMPARE(m.toJson().value(QLatin1String("kind")).toString(), str("system"));
    QCOMPARE(Message::fromJson(m.toJson()).value(), m);
}

void TestProtocolLifecycle::normalized_data()
{
    normalizedColumns();
    row("edit: mentions null", "request:edit_message", R"({"messageId":"101","content":"x","mentions":null})",
        R"({"messageId":101,"content":"x"})");
    row("edit: mentions empty", "request:edit_message", R"({"messageId":101,"content":"x","mentions":[]})",
        R"({"messageId":101,"content":"x"})");
    row("fetch_changes: defaults", "request:fetch_changes", R"({"roomId":5,"afterRevision":0})",
        R"({"roomId":5,"afterRevision":0,"limit":50})");
    row("reaction: string ids", "type:reaction", R"({"emoji":"👍","userIds":["7","8"]})",
        R"({"emoji":"👍","userIds":[7,8]})");
    row("reply preview", "type:reply_preview", R"({"id":"9","senderId":7,"content":"","deleted":true})",
        R"({"id":9,"senderId":7,"content":"","deleted":true})");
}

void TestProtocolLifecycle::badInput_data()
{
    badInputColumns();
    bad("edit: messageId missing", "request:edit_message", R"({"content":"x"})", "messageId");
    bad("edit: content missing", "request:edit_message", R"({"messageId":1})", "content");
    bad("edit: content too long", "request:edit_message",
        R"({"messageId":1,"content":")" + repeated("x", 16001) + R"("})", "content", ErrorCode::TooLarge);
    bad("edit: mentions object", "request:edit_message", R"({"messageId":1,"content":"x","mentions":{}})",
        "mentions");
    bad("delete: messageId bool", "request:delete_message", R"({"messageId":true})", "messageId");
    bad("react: emoji missing", "request:react", R"({"messageId":1,"on":true})", "emoji");
    bad("react: on missing", "request:react", R"({"messageId":1,"emoji":"👍"})", "on");
    bad("react: on number", "request:react", R"({"messageId":1,"emoji":"👍","on":1})", "on");
    bad("react: emoji empty", "request:react", R"({"messageId":1,"emoji":"","on":true})", "emoji");
    bad("react: emoji 33 units", "request:react",
        R"({"messageId":1,"emoji":")" + repeated("x", 33) + R"(","on":true})", "emoji");
    bad("react: emoji 17 surrogate pairs", "request:react",
        R"({"messageId":1,"emoji":")" + repeated("😀", 17) + R"(","on":true})", "emoji");
    bad("react: emoji space", "request:react", R"({"messageId":1,"emoji":"👍 ","on":true})", "emoji");
    bad("react: emoji ideographic space", "request:react", R"({"messageId":1,"emoji":"\u3000","on":true})",
        "emoji");
    bad("react: emoji newline", "request:react", R"({"messageId":1,"emoji":"a\nb","on":true})", "emoji");
    bad("react: emoji control", "request:react", R"({"messageId":1,"emoji":"\u0007","on":true})", "emoji");
    bad("react: emoji C1", "request:react", R"({"messageId":1,"emoji":"\u0085","on":true})", "emoji");
    bad("react: emoji lone surrogate", "request:react", R"({"messageId":1,"emoji":"\ud83d","on":true})",
        "emoji");
    bad("fetch_changes: afterRevision missing", "request:fetch_changes", R"({"roomId":5})", "afterRevision");
    bad("fetch_changes: afterRevision negative", "request:fetch_changes", R"({"roomId":5,"afterRevision":-1})",
        "afterRevision");
    bad("fetch_changes: afterRevision fraction", "request:fetch_changes",
        R"({"roomId":5,"afterRevision":1.5})", "afterRevision");
    bad("fetch_changes: roomId missing", "request:fetch_changes", R"({"afterRevision":0})", "roomId");
    bad("message: revision string", "type:message",
        R"({"id":1,"roomId":2,"senderId":3,"content":"c","mentions":[],"createdAt":4,"tempId":"t",)"
        R"("deleted":false,"revision":"1"})",
        "revision");
    bad("message: kind unknown", "type:message",
        R"({"id":1,"roomId":2,"senderId":3,"content":"c","mentions":[],"createdAt":4,"tempId":"t",)"
        R"("deleted":false,"kind":"file"})",
        "kind");
    bad("message: reactions object", "type:message",
        R"({"id":1,"roomId":2,"senderId":3,"content":"c","mentions":[],"createdAt":4,"tempId":"t",)"
        R"("deleted":false,"reactions":{}})",
        "reactions");
    bad("message: replyPreview string", "type:message",
        R"({"id":1,"roomId":2,"senderId":3,"content":"c","mentions":[],"createdAt":4,"tempId":"t",)"
        R"("deleted":false,"replyPreview":"x"})",
        "replyPreview");
    bad("message: replyPreview id missing", "type:message",
        R"({"id":1,"roomId":2,"senderId":3,"content":"c","mentions":[],"createdAt":4,"tempId":"t",)"
        R"("deleted":false,"replyPreview":{"senderId":1,"content":"","deleted":false}})",
        "replyPreview.id");
    bad("reaction: userIds holds bool", "type:reaction", R"({"emoji":"👍","userIds":[true]})", "userIds");
    bad("reaction event: revision missing", "reply:reaction",
        R"({"roomId":5,"messageId":1,"emoji":"👍","userId":7,"on":true})", "revision");
    bad("message_updated: message missing", "reply:message_updated", "{}", "message");
    bad("changes: hasMore missing", "reply:changes", R"({"roomId":5,"messages":[]})", "hasMore");
}

void TestProtocolLifecycle::limitClamping_data()
{
    limitClampingRows({{"request:fetch_changes", R"({"roomId":5,"afterRevision":0,)", limits::kHistoryMaxLimit}});
}

QTEST_APPLESS_MAIN(TestProtocolLifecycle)
#include "tst_protocol_lifecycle.moc"
