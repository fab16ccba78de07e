/// An advertising platform the generated campaigns run on, with the cost per thousand impressions its campaigns pay
/// and the true effect its spend has on sales in the simulated sales feed (`CampaignSalesFeed`): carry-over (normalised
/// geometric adstock α over 8 weeks), diminishing returns (logistic saturation λ on spend divided by the channel's
/// largest weekly spend) and the return on ad spend the channel truly earns. Most channels pay off and two do not,
/// as real media plans look.
public struct CampaignChannel: Sendable, Equatable {
    public var name: String
    /// Campaign CPMs are drawn uniformly from this range (money per 1,000 impressions).
    public var cpm: ClosedRange<Double>
    /// Geometric adstock decay: the share of a week's effect carried into the next.
    public var adstockAlpha: Double
    /// Logistic saturation steepness on max-scaled adstocked spend.
    public var saturationLambda: Double
    /// Revenue per unit of spend the channel truly returns over the simulated weeks (ROI = ROAS − 1).
    public var trueROAS: Double

    public init(name: String, cpm: ClosedRange<Double>, adstockAlpha: Double, saturationLambda: Double, trueROAS: Double) {
        self.name = name; self.cpm = cpm; self.adstockAlpha = adstockAlpha
        self.saturationLambda = saturationLambda; self.trueROAS = trueROAS
    }

    /// The seed systems' channels: search and social platforms, online video, and the offline media.
    public static let standard: [CampaignChannel] = [
        CampaignChannel(name: "google_ads", cpm: 2...6, adstockAlpha: 0.1, saturationLambda: 3.0, trueROAS: 2.6),
        CampaignChannel(name: "meta", cpm: 5...12, adstockAlpha: 0.3, saturationLambda: 2.5, trueROAS: 1.9),
        CampaignChannel(name: "tiktok", cpm: 3...8, adstockAlpha: 0.2, saturationLambda: 2.0, trueROAS: 0.7),
        CampaignChannel(name: "youtube", cpm: 6...14, adstockAlpha: 0.4, saturationLambda: 2.0, trueROAS: 1.4),
        CampaignChannel(name: "tv", cpm: 20...40, adstockAlpha: 0.6, saturationLambda: 1.5, trueROAS: 1.7),
        CampaignChannel(name: "radio", cpm: 5...10, adstockAlpha: 0.4, saturationLambda: 2.5, trueROAS: 0.8),
        CampaignChannel(name: "ooh", cpm: 3...8, adstockAlpha: 0.5, saturationLambda: 2.0, trueROAS: 1.2),
    ]
}
