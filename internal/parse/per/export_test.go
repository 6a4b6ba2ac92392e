package per

// FeaturesASN is the module of the decoder tests (features_test.go).
const FeaturesASN = features
