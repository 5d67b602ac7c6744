namespace Platform.Redis;
