// Search, mentions, presence and typing (docs/protocol.md): search_users,
// users, search_messages, search_results, list_mentions, mentions, mention,
// presence, typing both ways: golden payloads, defaults, limits, rejected
// fields.
#include "protocol_fixture.h"

class TestProtocolSearch : public QObject {
    Q_OBJECT

private slots:
    void listMentionsRequest();
    void typingRequest();
    void searchUsersRequest();
    void searchMessagesRequest();
    void mentionEvent();
    void mentionsReply();
    void presenceEvent();
    void typingEvent();
    void usersReply();
    void searchResultsReply();
    void normalized_data();
    void normalized() { checkNormalized(); }
    void badInput_data();
    void badInput() { checkBadInput(); }
    void limitClamping_data();
    void limitClamping() { checkLimitClamping(); }
};

void TestProtocolSearch::listMentionsRequest()
{
    GOLDEN(ListMentionsRequest, fromPayload, toPayload, R"({"beforeId":77,"limit":10})");
    QCOMPARE(r->beforeId.value_or(-1), Id(77));
    QCOMPARE(r->limit, 10);
}

void TestProtocolSearch::typingRequest()
{
    GOLDEN(TypingRequest, fromPayload, toPayload, R"({"roomId":5,"isTyping":true})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->isTyping, true);
}

void TestProtocolSearch::searchUsersRequest()
{
    GOLDEN(SearchUsersRequest, fromPayload, toPayload, R"({"query":"张","roomId":5,"limit":20})");
    QCOMPARE(r->query, str("张"));
    QCOMPARE(r->roomId.value_or(-1), Id(5));
    QCOMPARE(r->limit, 20);
}

void TestProtocolSearch::searchMessagesRequest()
{
    GOLDEN(SearchMessagesRequest, fromPayload, toPayload,
           R"({"query":"早","roomId":5,"beforeId":300,"limit":40})");
    QCOMPARE(r->query, str("早"));
    QCOMPARE(r->roomId.value_or(-1), Id(5));
    QCOMPARE(r->beforeId.value_or(-1), Id(300));
    QCOMPARE(r->limit, 40);
}

void TestProtocolSearch::mentionEvent()
{
    GOLDEN(MentionEvent, fromPayload, toPayload,
           R"({"roomId":5,"messageId":101,"fromUserId":7,"content":"你好@张三，早"})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->messageId, Id(101));
    QCOMPARE(r->fromUserId, Id(7));
    QCOMPARE(r->content, str("你好@张三，早"));
}

void TestProtocolSearch::mentionsReply()
{
    GOLDEN(MentionsReply, fromPayload, toPayload, R"({"items":[)" MSG_FULL R"(],"hasMore":false})");
    QCOMPARE(r->items, QList<Message>{goldenMessage()});
    QCOMPARE(r->hasMore, false);
}

void TestProtocolSearch::presenceEvent()
{
    GOLDEN(PresenceEvent, fromPayload, toPayload,
           R"({"userId":8,"online":false,"lastSeenAt":1700000002000,"status":"dnd","statusText":"focus"})");
    QCOMPARE(r->status, UserStatus::Dnd);
    QCOMPARE(r->statusText, str("focus"));
    QCOMPARE(r->userId, Id(8));
    QCOMPARE(r->online, false);
    QCOMPARE(r->lastSeenAt, qint64(1700000002000));
}

void TestProtocolSearch::typingEvent()
{
    GOLDEN(TypingEvent, fromPayload, toPayload, R"({"roomId":5,"userId":8,"isTyping":false})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->userId, Id(8));
    QCOMPARE(r->isTyping, false);
}

void TestProtocolSearch::usersReply()
{
    GOLDEN(UsersReply, fromPayload, toPayload, R"({"users":[)" ALICE "," ZHANG "]}");
    QCOMPARE(r->users, (QList<User>{alice(), zhang()}));
}

void TestProtocolSearch::searchResultsReply()
{
    GOLDEN(SearchResultsReply, fromPayload, toPayload,
           R"({"messages":[)" MSG_PLAIN "," MSG_FULL R"(],"hasMore":true,"nextBeforeId":101})");
    QCOMPARE(r->messages, (QList<Message>{plainMessage(), goldenMessage()}));
    QCOMPARE(r->hasMore, true);
    QCOMPARE(r->nextBeforeId.value_or(-1), Id(101));
}

// Accepted input, normalized.
void TestProtocolSearch::normalized_data()
{
    normalizedColumns();
    row("list_mentions: defaults", "request:list_mentions", "{}", R"({"limit":50})");
    row("search_users: empty query", "request:search_users", R"({"query":""})", R"({"query":"","limit":20})");
    row("search_users: trimmed", "request:search_users", R"({"query":"  ali ","roomId":null})",
        R"({"query":"ali","limit":20})");
    row("search_messages: defaults", "request:search_messages", R"({"query":" 早 "})",
        R"({"query":"早","limit":20})");
    row("mentions: hasMore absent", "reply:mentions", R"({"items":[]})", R"({"items":[],"hasMore":false})");
    row("search_results: no nextBeforeId", "reply:search_results",
        R"({"messages":[],"hasMore":false,"nextBeforeId":null})", R"({"messages":[],"hasMore":false})");
}

// Rejected input: the code, and the field the message names.
void TestProtocolSearch::badInput_data()
{
    badInputColumns();
    bad("list_mentions: limit string", "request:list_mentions", R"({"limit":"5"})", "limit");
    bad("list_mentions: beforeId array", "request:list_mentions", R"({"beforeId":[1]})", "beforeId");
    bad("typing: isTyping missing", "request:typing", R"({"roomId":5})", "isTyping");
    bad("typing: isTyping string", "request:typing", R"({"roomId":5,"isTyping":"yes"})", "isTyping");
    bad("typing: isTyping number", "request:typing", R"({"roomId":5,"isTyping":1})", "isTyping");
    bad("search_users: query missing", "request:search_users", "{}", "query");
    bad("search_users: query number", "request:search_users", R"({"query":3})", "query");
    bad("search_users: query 201", "request:search_users", R"({"query":")" + repeated("q", 201) + R"("})",
        "query");
    bad("search_users: roomId bool", "request:search_users", R"({"query":"a","roomId":true})", "roomId");
    bad("search_users: limit string", "request:search_users", R"({"query":"a","limit":"3"})", "limit");
    bad("search_messages: query empty", "request:search_messages", R"({"query":""})", "query");
    bad("search_messages: query blank", "request:search_messages", R"({"query":"  "})", "query");
    bad("search_messages: query 201", "request:search_messages",
        R"({"query":")" + repeated("q", 201) + R"("})", "query");
    bad("search_messages: limit array", "request:search_messages", R"({"query":"a","limit":[]})", "limit");
    bad("search_messages: beforeId object", "request:search_messages", R"({"query":"a","beforeId":{}})",
        "beforeId");
    bad("mention: content missing", "reply:mention", R"({"roomId":5,"messageId":1,"fromUserId":7})",
        "content");
    bad("mentions: hasMore number", "reply:mentions", R"({"items":[],"hasMore":1})", "hasMore");
    bad("presence: online missing", "reply:presence", R"({"userId":8,"lastSeenAt":0})", "online");
    bad("typing: userId null", "reply:typing", R"({"roomId":5,"userId":null,"isTyping":true})", "userId");
    bad("users: element string", "reply:users", R"({"users":["alice"]})", "users[0]");
    bad("search_results: nextBeforeId bool", "reply:search_results",
        R"({"messages":[],"hasMore":true,"nextBeforeId":true})", "nextBeforeId");
}

void TestProtocolSearch::limitClamping_data()
{
    limitClampingRows({{"request:list_mentions", "{", limits::kHistoryMaxLimit},
                       {"request:search_users", R"({"query":"",)", limits::kUsersMaxLimit},
                       {"request:search_messages", R"({"query":"x",)", limits::kSearchMaxLimit}});
}

QTEST_APPLESS_MAIN(TestProtocolSearch)
#include "tst_protocol_search.moc"
