/** The guide's example (vce-getting-started, "Example code"), character for character. */
export const SEED_CELL = `from pyrqs import rqs

category = 'video'
condition_groups = [
    {
        "operator": "and",
        "conditions": [
            {
                "field": "like_count",
                "operator": "gte",
                "field_values": ["10"]
            }
        ]
    }
]
fields = 'display_name,video_description,create_time,id'
limit = 10
client = rqs.RQSClient()
data = client.query(
            category=category, condition_groups=condition_groups, fields=fields, limit=limit)
print(data)`;
