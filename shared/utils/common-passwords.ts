/**
 * Common passwords (lower-cased), refused at registration: widely leaked international ones,
 * the Chinese favourites (woaini…, 5201314, 1qaz2wsx…), keyboard walks and repetitions.
 * Short ones are listed too so the list stays correct if the minimum length is ever lowered.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  'password1234', '123456789012', 'qwertyuiopas', 'iloveyou1234', 'passwordpassword', '111111111111',
  'abc123456789', 'woaini1314520', '123456789', '12345678', '1234567890', '123456789a', '1234567890a',
  '12345678910', '123456789123', '1234567890123', '12345678901234', '123123123123', '123412341234',
  '123451234512345', '112233445566', '111222333444', '121212121212', '123321123321', '147258369147',
  '147258369000', '159357159357', '987654321098', '098765432109', '0987654321', '9876543210', '000000000000',
  '222222222222', '666666666666', '888888888888', '999999999999', '777777777777', '555555555555',
  '333333333333', '444444444444', '100200300400', '520520520520', '521521521521', '5201314520',
  '52013145201314', '5201314', '1314520', '13145201314520', 'woaini1314', 'woaini520', 'woaini5201314',
  'woaini123456', 'woainiwoaini', 'iloveyou', 'iloveyou123', 'iloveyou1314', 'iloveyoubaby',
  'iloveyouforever', 'iloveyou12345', 'password', 'password1', 'password12', 'password123', 'password12345',
  'password123456', 'password1234567', 'password!23', 'passw0rd', 'passw0rd1234', 'p@ssw0rd', 'p@ssword123',
  'p@ssw0rd1234', 'p@ssw0rd123456', 'passwordqwerty', 'password2024', 'password2025', 'password2026',
  'mypassword123', 'mypassword1234', 'changeme1234', 'changemenow1', 'changeme123456', 'letmein12345',
  'letmein123456', 'letmeinplease', 'welcome12345', 'welcome123456', 'welcome2024!', 'welcome2025',
  'welcome2026', 'welcometochina', 'qwerty123456', 'qwertyuiop12', 'qwertyuiop123', 'qwerty12345678',
  'qwertyqwerty', 'qwertyuiop', 'qwertyuiopasdf', '1qaz2wsx3edc', '1qaz2wsx3edc4rfv', '1q2w3e4r5t6y',
  '1q2w3e4r5t6y7u', '1qazxsw23edc', 'qazwsxedcrfv', 'qazwsxedc123', 'zaq12wsxcde3', 'zxcvbnm12345',
  'zxcvbnm123456', 'asdfghjkl123', 'asdfghjkl;\'', 'asdfasdfasdf', 'asdf1234asdf', 'aaaaaaaaaaaa',
  'abcdefghijkl', 'abcdefg12345', 'abcd12345678', 'abc123abc123', 'abcabcabcabc', 'a1b2c3d4e5f6',
  'a123456789012', 'aa123456789', 'aaa123456789', 'abc1234567890', 'admin1234567', 'admin123456789',
  'administrator', 'admin@123456', 'adminadmin123', 'root12345678', 'rootroot1234', 'toor12345678',
  'test12345678', 'test123456789', 'testtest1234', 'guest1234567', 'user12345678', 'user123456789',
  'default12345', '1234qwerasdf', '1234qwer1234', 'qwer1234qwer', 'qwer1234asdf', 'asdf1234qwer',
  'monkey123456', 'dragon123456', 'football1234', 'baseball1234', 'superman1234', 'batman123456',
  'sunshine1234', 'princess1234', 'starwars1234', 'shadow123456', 'master123456', 'michael12345',
  'jennifer1234', 'trustno11234', 'whatever1234', 'computer1234', 'internet1234', 'blahblahblah',
  'hellohello12', 'helloworld12', 'helloworld123', 'hello1234567', 'hello123456789', 'goodluck1234',
  'nihao1234567', 'nihao123456789', 'zhangwei1234', 'wangwei12345', 'liuyang12345', 'lixiaolong12',
  'zhongguo1234', 'zhongguo123456', 'china1234567', 'china123456789', 'shenzhen1234', 'shenzhen123456',
  'shenzhen2025', 'shenzhen2026', 'guangdong123', 'guangzhou123', 'beijing12345', 'shanghai1234',
  'aini1314520', 'aini13145200', 'woaini13145201314', 'wodemima1234', 'mima12345678', 'mima123456789',
  'mimamima1234', 'qq1234567890', 'qq123456789', 'qwe123456789', 'qweasdzxc123', 'qweasdzxc1234',
  'qweqweqweqwe', 'asdasdasdasd', 'zxczxczxczxc', '123qweasdzxc', '123qwe123qwe', '1234abcd1234',
  'abcd1234abcd', 'iloveu123456', 'ilovechina12', 'loveyou12345', 'love12345678', 'lovelove1234',
  'lovelovelove', '88888888abc', '8888888888', 'a12345678910', 'a1234567890', 'a123456a1234',
  'aa112233445566', 'bb123456789', 'dearbook1234', 'sunflower123', 'chinese12345', 'xiaoming1234',
  'xiaohong1234', 'portal123456', 'government12', 'zhengwu12345', 'zhengfu123456', 'gov123456789',
  'welcome@2025', 'welcome@2026', 'admin@2025', 'admin@2026', 'p@55w0rd1234', 'passw0rd!123', 'password!123',
  'password@123', 'qwerty@12345', 'qwerty!12345', 'abc@12345678', 'abc!12345678', '123456abcdef',
  'abcdef123456', '654321654321', '987654321987', '963852741963', '741852963741', '135792468000',
  '246813579000', '1357924680', '0123456789ab', 'abcdefghijklm', 'zaq1xsw2cde3', '!qaz2wsx#edc',
  '!qaz@wsx#edc', '1qaz!qaz1qaz', '1qaz@wsx3edc', '1qaz@wsx#edc', '3edc2wsx1qaz', 'football12345',
  'baseball12345', 'superman12345', 'iloveyou2025', 'iloveyou2026', 'lovely123456', 'qwertyuiop1234',
  'asdfghjkl1234', 'zxcvbnm1234', 'zxcvbnmasdfg', '12345qwert12', '12345qwerty12', '12345678abcd',
  '12345678qwer', '123456789abc', '123456789qwe', '123456789zxc', '1234567890qwe', 'qwe1234567890',
  'asd123456789', 'zxc123456789', 'aaaaaa123456', 'aaa111222333', 'abcde1234567', '9876543210ab',
  'samsung12345', 'iphone123456', 'huawei123456', 'xiaomi123456', 'tencent12345', 'alibaba12345',
  'wechat123456', 'weixin123456', 'taobao123456', 'baidu1234567', '12345678900', '13800138000',
  '18888888888', '13888888888', '15888888888',
])

/**
 * True when the password, ignoring case, is on the common list. Compared in its NFKC form, the
 * one passwords.ts hashes: full-width ｐａｓｓｗｏｒｄ１２３４ is password1234.
 */
export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.normalize('NFKC').toLowerCase())
}
