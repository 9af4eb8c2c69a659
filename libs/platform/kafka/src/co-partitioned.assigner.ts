import { AssignerProtocol, type Assignment, type PartitionAssigner } from 'kafkajs';

/**
 * Gives partition p of every subscribed topic to the same member, so a consumer that joins two topics keyed
 * alike (the decision combiner: scores and rule results, both keyed by card id, with equal partition counts)
 * sees both halves of every pair. kafkajs's round-robin assigner spreads the topics' partitions independently
 * and would split pairs across replicas.
 */
export const coPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'ArgusCoPartitioned',
  version: 0,
  async assign({ members, topics }) {
    const memberIds = members.map((member) => member.memberId).sort();
    const assignment = new Map<string, Assignment>(memberIds.map((id) => [id, {}]));
    for (const topic of topics) {
      for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
        const member = assignment.get(memberIds[partitionId % memberIds.length]!)!;
        (member[topic] ??= []).push(partitionId);
      }
    }
    return [...assignment].map(([memberId, topicPartitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 0,
        assignment: topicPartitions,
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol({ topics }) {
    return {
      name: 'ArgusCoPartitioned',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
    };
  },
});
