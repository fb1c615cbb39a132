// Authentication (docs/protocol.md: register, login, auth, auth_ok): golden
// payloads, defaults and trimming, and every field's limits.
#include "protocol_fixture.h"

class TestProtocolAuth : public QObject {
    Q_OBJECT

private slots:
    void registerRequest();
    void loginRequest();
    void authRequest();
    void authOk();
    void normalized_data();
    void normalized() { checkNormalized(); }
    void badInput_data();
    void badInput() { checkBadInput(); }
};

void TestProtocolAuth::registerRequest()
{
    GOLDEN(RegisterRequest, fromPayload, toPayload,
           R"({"username":"张三","password":"p å","displayName":"San Z"})");
    QCOMPARE(r->username, str("张三"));
    QCOMPARE(r->password, str("p å"));
    QCOMPARE(r->displayName, str("San Z"));
}

void TestProtocolAuth::loginRequest()
{
    GOLDEN(LoginRequest, fromPayload, toPayload, R"({"username":"not a valid name","password":""})");
    QCOMPARE(r->username, str("not a valid name")); // not format-checked: just invalid_credentials later
    QCOMPARE(r->password, QString());
}

void TestProtocolAuth::authRequest()
{
    GOLDEN(AuthRequest, fromPayload, toPayload, R"({"token":"abc.DEF-123"})");
    QCOMPARE(r->token, str("abc.DEF-123"));
}

void TestProtocolAuth::authOk()
{
    GOLDEN(AuthOk, fromPayload, toPayload, R"({"token":"tok","user":)" ALICE "}");
    QCOMPARE(r->token, str("tok"));
    QCOMPARE(r->user, alice());
}

// Accepted input, normalized.
void TestProtocolAuth::normalized_data()
{
    normalizedColumns();
    row("register: displayName defaults", "request:register", R"({"username":"bob","password":"x"})",
        R"({"username":"bob","password":"x","displayName":"bob"})");
    row("register: displayName null", "request:register",
        R"({"username":"bob","password":"x","displayName":null})",
        R"({"username":"bob","password":"x","displayName":"bob"})");
    row("register: displayName blank", "request:register",
        R"({"username":"bob","password":"x","displayName":"  "})",
        R"({"username":"bob","password":"x","displayName":"bob"})");
    row("register: displayName trimmed", "request:register",
        R"({"username":"bob","password":"x","displayName":" Bob B \n"})",
        R"({"username":"bob","password":"x","displayName":"Bob B"})");
    row("register: 64-char displayName", "request:register",
        R"({"username":"b","password":"x","displayName":")" + repeated("é", 64) + R"("})",
        R"({"username":"b","password":"x","displayName":")" + repeated("é", 64) + R"("})");
    row("register: 1024-byte password", "request:register",
        R"({"username":"b","password":")" + repeated("é", 512) + R"("})",
        R"({"username":"b","password":")" + repeated("é", 512) + R"(","displayName":"b"})");
    row("register: invite trimmed [ext]", "request:register",
        R"({"username":"bob","password":"x","invite":" abc-DEF_1 "})",
        R"({"username":"bob","password":"x","displayName":"bob","invite":"abc-DEF_1"})");
    row("register: invite null [ext]", "request:register",
        R"({"username":"bob","password":"x","invite":null})",
        R"({"username":"bob","password":"x","displayName":"bob"})");
}

// Rejected input: the code, and the field the message names.
void TestProtocolAuth::badInput_data()
{
    badInputColumns();
    bad("register: username missing", "request:register", R"({"password":"x"})", "username");
    bad("register: username number", "request:register", R"({"username":1,"password":"x"})", "username");
    bad("register: username space", "request:register", R"({"username":"a b","password":"x"})", "username");
    bad("register: username 33", "request:register",
        R"({"username":")" + repeated("a", 33) + R"(","password":"x"})", "username");
    bad("register: password missing", "request:register", R"({"username":"bob"})", "password");
    bad("register: password empty", "request:register", R"({"username":"bob","password":""})", "password");
    bad("register: password 1026 bytes", "request:register",
        R"({"username":"bob","password":")" + repeated("é", 513) + R"("})", "password");
    bad("register: displayName number", "request:register",
        R"({"username":"bob","password":"x","displayName":1})", "displayName");
    bad("register: invite number [ext]", "request:register",
        R"({"username":"bob","password":"x","invite":7})", "invite");
    bad("register: invite 129 [ext]", "request:register",
        R"({"username":"bob","password":"x","invite":")" + repeated("a", 129) + R"("})", "invite");
    bad("register: displayName 65", "request:register",
        R"({"username":"bob","password":"x","displayName":")" + repeated("z", 65) + R"("})", "displayName");
    bad("login: password missing", "request:login", R"({"username":"bob"})", "password");
    bad("login: username array", "request:login", R"({"username":[],"password":"x"})", "username");
    bad("auth: token missing", "request:auth", "{}", "token");
    bad("auth: token empty", "request:auth", R"({"token":""})", "token");
    bad("auth: token number", "request:auth", R"({"token":12})", "token");
    bad("auth: token 257", "request:auth", R"({"token":")" + repeated("t", 257) + R"("})", "token");
    bad("auth_ok: token missing", "reply:auth_ok", R"({"user":)" ALICE "}", "token");
    bad("auth_ok: user id bool", "reply:auth_ok", R"({"token":"t","user":{"id":false}})", "user.id");
}

QTEST_APPLESS_MAIN(TestProtocolAuth)
#include "tst_protocol_auth.moc"
