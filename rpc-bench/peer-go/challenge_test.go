package main

import "testing"

// The test vectors of PROTOCOL.md section 4.
func TestAnswersMatchTheProtocolTestVectors(t *testing.T) {
	key, err := challengeEncoding.DecodeString("U7IJH7BKTV7NJHCGBG7CD4JQHQOPC2VSOVUDICON74656ENMZGZINUL537KH4VCC")
	if err != nil {
		t.Fatal(err)
	}
	const privateHash = "866d3218b239d39c174fa2b16f54e0fa58f9c69fce8c2d941c12a47a7bc75229"
	vectors := []struct {
		unix   int64
		answer string
	}{
		{59, "ff9de30a5c59034ccddf8efbdb124fcd7a5475ec"},
		{1111111109, "b0b245f80fae8b928bc4bde3beaf30070ed17242"},
		{1627489650, "dfbc72798b41977d340584dd4afc8e085d3d824d"},
		{1630373361, "4fa977477afed6ac8a8f3ee92e1ed3d0d06bcdbf"},
		{2000000000, "6247b3e09321f07f825c77fbf1350a3c15f7933a"},
	}
	for _, v := range vectors {
		if got := string(answerFor(key, privateHash, v.unix/step)); got != v.answer {
			t.Errorf("at %d: answer %s, want %s", v.unix, got, v.answer)
		}
	}
}

func TestAChallengeDecodesToFortyBytesAndBack(t *testing.T) {
	const challenge = "U7IJH7BKTV7NJHCGBG7CD4JQHQOPC2VSOVUDICON74656ENMZGZINUL537KH4VCC"
	key, err := challengeEncoding.DecodeString(challenge)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != 40 || challengeEncoding.EncodeToString(key) != challenge {
		t.Errorf("decoded %d bytes, encoded back as %s", len(key), challengeEncoding.EncodeToString(key))
	}
}
