using FleetHealth.Simulator;

namespace FleetHealth.Server.Tests.Simulator;

public class HttpBeatTransportTests
{
    [Fact]
    public void A_multi_status_batch_answer_is_read_per_item()
    {
        const string json = """
            {"accepted":1,"duplicates":0,"rejected":3,"items":[
              {"index":0,"sensorId":"a","status":202},
              {"index":1,"sensorId":"b","status":503},
              {"index":2,"sensorId":"c","status":400,"errors":{"battery":["…"]}},
              {"index":3,"sensorId":"d","status":429}]}
            """;

        var results = HttpBeatTransport.PerItem(json, 5);

        Assert.Equal([Delivery.Delivered, Delivery.Retry, Delivery.Rejected, Delivery.Retry, Delivery.Retry], results);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"title\":\"x\"}")]
    [InlineData("{\"items\":[{\"index\":\"zero\",\"status\":202}]}")]
    public void An_answer_that_is_not_a_batch_result_is_not_read_per_item(string json) =>
        Assert.Null(HttpBeatTransport.PerItem(json, 1));
}
